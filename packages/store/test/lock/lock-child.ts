/**
 * A child process for `file-lock.test.ts`, bundled by the test and run as
 *   node lock-child.mjs <lock path> hold|contend
 * `hold` takes the lock at once; `contend` prints `ready` and takes it when a line
 * `go` arrives on stdin, so several children can race for the same lock. Either way
 * it prints one JSON line with the outcome and then stays alive, holding what it got,
 * until stdin closes (the test is done) or it is killed.
 */
import { FileLock } from '../../src/file/file-lock';

const [path, mode] = process.argv.slice(2) as [string, 'hold' | 'contend'];

function report(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...o })}\n`);
}

async function take(): Promise<void> {
  try {
    await FileLock.acquire(path);
    report({ ok: true });
  } catch (err) {
    report({ ok: false, message: (err as Error).message });
  }
}

// Keeps the process alive (and holding) until the test closes stdin.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

if (mode === 'hold') {
  void take();
} else {
  let buf = '';
  process.stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    if (buf.includes('go\n')) {
      buf = '';
      void take();
    }
  });
  report({ ready: true });
}
