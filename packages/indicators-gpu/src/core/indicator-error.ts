/** Machine-readable reason of an {@link IndicatorError}. */
export type IndicatorErrorCode =
  | 'INDICATOR_UNKNOWN'
  | 'INDICATOR_BAD_PARAM'
  | 'INDICATOR_BAD_INPUT'
  | 'INDICATOR_BAD_OUTPUT'
  | 'INDICATOR_BAD_STATE'
  | 'INDICATOR_DUPLICATE'
  | 'INDICATOR_BACKEND_UNAVAILABLE';

/**
 * Every failure of this package. Never retryable: the same call fails the
 * same way, so callers fix the input/params instead of retrying.
 */
export class IndicatorError extends Error {
  override readonly name = 'IndicatorError';
  readonly retryable = false;
  constructor(
    readonly code: IndicatorErrorCode,
    message: string,
    /** The offending param, input or output name when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
