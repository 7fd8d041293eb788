import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Order, StoredOrder, TradeStore } from '@kairos/core';
import { Reconciler, netBaseAmount } from '@kairos/core';
import type { ReconcileReport } from '@kairos/core';
import { VenueServer } from './venue-server';

const RUNNER = fileURLToPath(new URL('./crash-runner.ts', import.meta.url));
const DATA = fileURLToPath(new URL('../../../../data', import.meta.url));

/** Where the runner dies; `timer` kills it from outside after a seeded delay. */
const POINTS = [
  ['after-intent', 25],
  ['after-send', 25],
  ['after-ack', 8],
  ['between-order-and-fill', 14],
  ['after-fill', 5],
  ['after-step', 5],
  ['after-reconcile', 3],
  ['timer', 15],
] as const;

export interface CrashTestOptions {
  /** Env for the runner that selects and locates the store. */
  readonly storeEnv: Readonly<Record<string, string>>;
  /** Opens the same store in the test process, after the last runner has exited. */
  readonly openStore: () => Promise<TradeStore>;
  readonly kills: number;
  readonly users: number;
  readonly seed: number;
  readonly maxSteps: number;
}

export interface CrashTestResult {
  readonly kills: number;
  readonly killsByPoint: Record<string, number>;
  readonly steps: number;
  readonly venueOrders: number;
  readonly missingFromStore: string[];
  readonly duplicateClientIds: string[];
  readonly pendingLeft: string[];
  readonly positionDiffs: Array<{ user: string; currency: string; store: number; exchange: number; step: number }>;
  readonly finalReports: ReconcileReport[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick(r: () => number): string {
  const total = POINTS.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [name, w] of POINTS) {
    x -= w;
    if (x < 0) return name;
  }
  return 'after-intent';
}

/**
 * Bundles the runner (resolving workspace packages to their sources) into one file, so
 * each of the ~50 restarts costs a plain `node file.mjs` start instead of compiling
 * the TypeScript again. The runner behaves the same when started with
 * `node --conditions=source --import tsx crash-runner.ts`.
 */
async function bundleRunner(): Promise<string> {
  // KAIROS_CRASH_TSX=1 runs the TypeScript source through tsx instead (slower, same behaviour).
  if (process.env.KAIROS_CRASH_TSX) return RUNNER;
  const outfile = join(tmpdir(), `kairos-crash-runner-${randomBytes(4).toString('hex')}.mjs`);
  await build({
    entryPoints: [RUNNER],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    outfile,
    external: ['gpu.js'],
    logLevel: 'error',
    minify: true,
    // ioredis is CommonJS and calls require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __kairosRequire } from 'node:module'; const require = __kairosRequire(import.meta.url);" },
  });
  return outfile;
}

/** Runs the runner once; resolves with how it ended. */
function life(runner: string, env: Record<string, string>, timerMs: number | undefined): Promise<{ killed: boolean; code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const argv = runner.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx', runner] : [runner];
    const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (timerMs !== undefined && !timer && out.includes('"ready"')) timer = setTimeout(() => child.kill('SIGKILL'), timerMs);
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.KAIROS_CRASH_DEBUG) process.stderr.write(d);
    });
    const t0 = performance.now();
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (process.env.KAIROS_CRASH_DEBUG) process.stderr.write(`life ${env.KAIROS_CRASH_POINT} ${(performance.now() - t0).toFixed(0)} ms ${signal ?? code}\n`);
      resolve({ killed: signal === 'SIGKILL', code, out, err });
    });
  });
}

/**
 * SIGKILLs a paper session `kills` times at seeded points, restarting it each time,
 * then lets one last run finish and checks the store against the venue.
 */
export async function runCrashTest(o: CrashTestOptions): Promise<CrashTestResult> {
  const users = Array.from({ length: o.users }, (_, i) => `user${i}`);
  const venue = new VenueServer(VenueServer.loadCandles(DATA, o.maxSteps + 10), users);
  const url = await venue.listen();
  const runner = await bundleRunner();
  const r = rng(o.seed);
  const killsByPoint: Record<string, number> = {};
  let kills = 0;
  try {
    const base = { ...o.storeEnv, KAIROS_VENUE_URL: url, KAIROS_USERS: String(o.users), KAIROS_SEED: String(o.seed) };
    for (let i = 0; kills < o.kills && i < o.kills * 3; i++) {
      const point = pick(r);
      const nth = point === 'after-reconcile' ? 1 : 1 + Math.floor(r() * (point === 'after-step' ? 4 : 12));
      const timerMs = point === 'timer' ? 20 + Math.floor(r() * 400) : undefined;
      const res = await life(runner, { ...base, KAIROS_STEPS: String(o.maxSteps), KAIROS_CRASH_POINT: point === 'timer' ? '' : `${point}:${nth}` }, timerMs);
      if (res.killed) {
        kills += 1;
        killsByPoint[point] = (killsByPoint[point] ?? 0) + 1;
      } else if (res.code !== 0) {
        throw new Error(`runner failed (exit ${res.code}) at life ${i}, point ${point}:${nth}\n${res.out}\n${res.err}`);
      } else {
        break; // ran out of steps
      }
    }
    const final = await life(runner, { ...base, KAIROS_STEPS: String(venue.stepIndex + 3), KAIROS_CRASH_POINT: '' }, undefined);
    if (final.code !== 0) throw new Error(`final runner failed (exit ${final.code})\n${final.out}\n${final.err}`);
    return { ...(await check(venue, users, o.openStore)), kills, killsByPoint, steps: venue.stepIndex };
  } finally {
    await venue.close();
    if (runner !== RUNNER) await rm(runner, { force: true });
  }
}

async function check(venue: VenueServer, users: readonly string[], openStore: () => Promise<TradeStore>): Promise<Omit<CrashTestResult, 'kills' | 'killsByPoint' | 'steps'>> {
  const store = await openStore();
  try {
    const missingFromStore: string[] = [];
    const duplicateClientIds: string[] = [];
    const pendingLeft: string[] = [];
    const positionDiffs: CrashTestResult['positionDiffs'] = [];
    const finalReports: ReconcileReport[] = [];
    let venueOrders = 0;
    const seenCids = new Set<string>();
    for (const u of users) {
      const created: Order[] = [...(venue.created.get(u)?.values() ?? [])];
      venueOrders += created.length;
      for (const ex of created) {
        if (seenCids.has(ex.clientOrderId)) duplicateClientIds.push(ex.clientOrderId);
        seenCids.add(ex.clientOrderId);
        const st: StoredOrder | undefined = await store.getOrder(ex.clientOrderId);
        if (!st || st.id !== ex.id || st.userId !== u) missingFromStore.push(`${u}:${ex.clientOrderId}`);
      }
      for (const o of await store.listOrders({ userId: u, status: ['pending_submit'] })) pendingLeft.push(o.clientOrderId);
      const fills = await store.listFills(u);
      const balances = await venue.venue(u).fetchBalance();
      for (const m of venue.markets) {
        const held = netBaseAmount(fills, m.base);
        const onVenue = balances[m.base]?.total ?? 0;
        if (Math.abs(held - onVenue) > m.amountStep + 1e-12) positionDiffs.push({ user: u, currency: m.base, store: held, exchange: onVenue, step: m.amountStep });
      }
      finalReports.push(await new Reconciler({ exchange: venue.venue(u), store, userId: u }).reconcile());
    }
    return { venueOrders, missingFromStore, duplicateClientIds, pendingLeft, positionDiffs, finalReports };
  } finally {
    await store.close?.();
  }
}
