import { type LogLevel, type Logger, StderrLogger } from '@kairos/core';
import type { CommandIo } from '../cli/io';

/**
 * The CLI's default logger: warnings and errors (info too at `level: 'info'`) as one text
 * line each on the command's stderr, so stdout keeps only the command's output.
 */
export function cliLogger(io: Pick<CommandIo, 'err'>, level: LogLevel = 'warn'): Logger {
  // `io.err` ends the line itself.
  return new StderrLogger({ level, stream: { write: (chunk) => io.err(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) } });
}
