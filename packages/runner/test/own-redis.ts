import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A private redis-server on a free port that a test may pause (SIGSTOP: unreachable but
 * keeping its state, an outage), resume, or kill and start again. Without `persistDir`
 * it keeps nothing (`--save '' --appendonly no`: a restart comes back empty); with it,
 * an AOF with `appendfsync always` in that folder (a restart comes back with its data).
 */
export class OwnRedis {
  private proc: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly persistDir: string | undefined,
  ) {}

  static async start(options: { persistDir?: string } = {}): Promise<OwnRedis> {
    const r = new OwnRedis(await freePort(), options.persistDir);
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, empty) on the same port. */
  async start(): Promise<void> {
    const persistence = this.persistDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.persistDir] : ['--appendonly', 'no'];
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (this.cli('ping') === 'PONG') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGSTOP: connections stay open but nothing answers; the data stays. */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /** SIGKILL (resumed first, so a paused server dies too); without persistence its data is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGCONT');
    p.kill('SIGKILL');
    await exited;
  }

  /** One redis-cli command against this server; its trimmed reply. */
  cli(...args: string[]): string {
    const r = spawnSync('redis-cli', ['-p', String(this.port), ...args], { encoding: 'utf8', timeout: 5_000 });
    return (r.stdout ?? '').trim();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
