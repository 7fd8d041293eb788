/** Longest stretch of input an error message quotes. */
export const EXCERPT_CHARS = 80;

/**
 * Quotes `text` for an error message: at most `max` characters, JSON-escaped so control
 * characters from a file (terminal escapes, NULs) never reach a terminal raw; a longer
 * text is cut with an ellipsis and its total length, so one 20 MB line cannot flood
 * stderr or a log.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max)).slice(0, -1)}…" (${text.length} characters)`;
}
