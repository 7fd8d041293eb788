import { unlink } from 'node:fs/promises';
import { type Server, createConnection, createServer } from 'node:net';

// The Unix socket a lock holder listens on beside its lock, so that processes in other
// PID namespaces (containers), where the holder's pid means nothing, can ask whether it
// is alive: the kernel refuses connections once the listening process is gone.

/** Listens on `socketPath`; undefined where no socket can be had. */
export async function listenProbe(socketPath: string): Promise<Server | undefined> {
  // Unix socket paths are limited to ~107 bytes; without one, others fall back to the heartbeat.
  if (process.platform === 'win32' || Buffer.byteLength(socketPath) > 100) return undefined;
  await unlink(socketPath).catch(() => undefined);
  const server = createServer((s) => s.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(socketPath, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Stops listening and removes the socket file. */
export async function closeProbe(server: Server, socketPath: string): Promise<void> {
  await new Promise<void>((r) => server.close(() => r()));
  await unlink(socketPath).catch(() => undefined);
}

/** Asks a holder's lock socket whether it is alive: refused means no process listens any more. */
export function probe(socketPath: string): Promise<'alive' | 'gone' | 'unknown'> {
  if (Buffer.byteLength(socketPath) > 100) return Promise.resolve('unknown');
  return new Promise((resolve) => {
    const s = createConnection(socketPath);
    const done = (r: 'alive' | 'gone' | 'unknown'): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('unknown'), 1_000);
    s.once('connect', () => done('alive'));
    // ENOENT (socket file removed) proves nothing about the process; only a refusal does.
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'gone' : 'unknown'));
  });
}
