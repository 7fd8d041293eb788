import type { Logger } from '../ports/logger';

/** Discards everything; the default where no logger is passed. */
export class NullLogger implements Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}

/** Collects entries in memory; useful in tests to assert what was logged. */
export class MemoryLogger implements Logger {
  readonly entries: Array<{ level: string; obj: object; msg?: string }> = [];
  debug(obj: object, msg?: string): void {
    this.entries.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
  child(): Logger {
    return this;
  }
}
