import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface Line {
  readonly at: number;
  readonly text: string;
}

/** `kairos start` as a child process, its output lines stamped with when they arrived. */
export class Bot {
  readonly out: Line[] = [];
  readonly err: Line[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  /** `cwd` defaults to the repository root; a default journal (`.kairos/journal/<session>`) lands under it. */
  constructor(args: string[], cwd = root) {
    const env = { ...process.env };
    delete env.REDIS_URL;
    this.child = spawn(`${root}kairos`, ['start', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    collect(this.child.stdout, this.out);
    collect(this.child.stderr, this.err);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(signal: NodeJS.Signals = 'SIGINT'): void {
    if (this.running) this.child.kill(signal);
  }

  /** Waits for a line of `stream` after `since` that matches; fails after `ms`. */
  async waitFor(stream: 'out' | 'err', re: RegExp, since: number, ms: number): Promise<Line> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this[stream].find((l) => l.at >= since && re.test(l.text));
      if (hit) return hit;
      if (Date.now() > deadline || !this.running) throw new Error(`no ${stream} line matching ${re} within ${ms} ms (running: ${this.running})\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** Candles processed, from the last summary line up to `at`. */
  candlesAt(at: number): number {
    const s = this.out.filter((l) => l.at <= at && l.text.startsWith('[summary]')).at(-1);
    return Number(/candles (\d+)/.exec(s?.text ?? '')?.[1] ?? 0);
  }

  tail(): string {
    return [...this.out.slice(-8), ...this.err.slice(-8)].map((l) => l.text).join('\n');
  }
}

function collect(stream: NodeJS.ReadableStream | null, into: Line[]): void {
  let buf = '';
  stream?.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const text of parts) into.push({ at: Date.now(), text });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

