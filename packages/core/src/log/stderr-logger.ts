import type { Logger } from '../ports/logger';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where a `StderrLogger` writes: `process.stderr`, any Node `Writable`, or an adapter. */
export interface LogStream {
  write(chunk: string): unknown;
}

/** How a `StderrLogger` is set up. */
export interface StderrLoggerOptions {
  /** Default: `process.stderr`. */
  readonly stream?: LogStream;
  /** Lowest level written. Default `'warn'`: warnings and errors only; `'info'` for a verbose run. */
  readonly level?: LogLevel;
  /** Longest line written, in characters; a longer one is cut and ends in `…`. Default 2000. */
  readonly maxLineLength?: number;
  /** Fields added to every line (e.g. a session id). */
  readonly bindings?: object;
  /** Time source for the line's timestamp. Default: the wall clock. */
  readonly now?: () => number;
}

/** A value that reads back unambiguously without quotes. */
const BARE = /^[^\s"'=\\\u0000-\u001f\u007f]+$/;

/**
 * A small text logger for a terminal: one line per entry,
 * `2024-05-01T12:00:00.000Z WARN message key=value key="a value"`, written to stderr so
 * stdout stays clean for command output (`--json` pipes). Below `level` nothing is
 * written. It implements the `Logger` port, so pino can replace it where JSON logs
 * are wanted. Logging never throws: a failing log must not stop the bot.
 */
export class StderrLogger implements Logger {
  private readonly stream: LogStream;
  private readonly min: number;
  private readonly max: number;
  private readonly bindings: object;
  private readonly now: () => number;

  constructor(private readonly options: StderrLoggerOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.min = RANK[options.level ?? 'warn'];
    // Room for at least the timestamp, the level and the cut mark.
    this.max = Math.max(64, options.maxLineLength ?? 2_000);
    this.bindings = options.bindings ?? {};
    this.now = options.now ?? Date.now;
  }

  debug(obj: object, msg?: string): void {
    this.write('debug', obj, msg);
  }
  info(obj: object, msg?: string): void {
    this.write('info', obj, msg);
  }
  warn(obj: object, msg?: string): void {
    this.write('warn', obj, msg);
  }
  error(obj: object, msg?: string): void {
    this.write('error', obj, msg);
  }

  /** The same stream and level, with `bindings` added to every line. */
  child(bindings: object): Logger {
    return new StderrLogger({ ...this.options, bindings: { ...this.bindings, ...bindings } });
  }

  /** Whether entries of `level` are written. */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  private write(level: LogLevel, obj: object, msg: string | undefined): void {
    if (!this.enabled(level)) return;
    try {
      this.stream.write(`${this.format(level, obj, msg)}\n`);
    } catch {
      // A closed or broken stderr: nowhere left to report it, and the bot must go on.
    }
  }

  /** One line: never a line break inside, at most `maxLineLength` characters. */
  format(level: LogLevel, obj: object, msg?: string): string {
    let line = `${isoTime(this.now())} ${level.toUpperCase()}`;
    if (msg) line += ` ${oneLine(msg)}`;
    for (const [key, value] of fields(this.bindings, obj)) line += ` ${BARE.test(key) ? key : JSON.stringify(key)}=${formatValue(value)}`;
    return line.length > this.max ? `${line.slice(0, this.max - 1)}…` : line;
  }
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ');
}

/** Bindings first, then the entry's own fields; an Error passed as the object gives its message. */
function fields(bindings: object, obj: object): Array<[string, unknown]> {
  const own: Array<[string, unknown]> = obj instanceof Error ? [['error', obj]] : safeEntries(obj);
  return [...safeEntries(bindings), ...own];
}

function safeEntries(obj: object): Array<[string, unknown]> {
  try {
    return obj && typeof obj === 'object' ? Object.entries(obj) : [];
  } catch {
    return [];
  }
}

function formatValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'string':
      return value !== '' && BARE.test(value) ? value : JSON.stringify(value);
    case 'symbol':
    case 'function':
      return JSON.stringify(String(value));
    default:
      if (value === null) return 'null';
      if (value instanceof Error) return JSON.stringify(errorText(value));
      return safeJson(value);
  }
}

function errorText(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return `${err.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${err.message}`;
}

/** JSON that survives cycles, bigints and errors nested in the value. */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Error) return errorText(v);
        if (v && typeof v === 'object') {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? 'undefined'
    );
  } catch {
    return '"[unserializable]"';
  }
}
