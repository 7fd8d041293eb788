import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, KairosError, type Logger, TradingGate } from '@kairos/core';
import { FileLockError } from '@kairos/store';
import { cliLogger } from '../wiring/cli-logger';
import { openTradeStore } from '../wiring/open-trade-store';
import type { CommandIo } from './io';
import {
  type LivenessContext,
  type SessionView,
  checkSession,
  closeSession,
  formatDuration,
  positionsText,
  readAllSessions,
  readSession,
  viewOf,
} from './session-inspect';

export const SESSIONS_USAGE = `kairos sessions list [--idle 1h] | close <id> [--yes] [--idle 1h] | reconcile <id>
             common: [--store file:DIR | redis://HOST:PORT (default: $REDIS_URL)] [--deployment default] [--json]`;

export interface SessionsCommandOptions {
  /** Environment to read `REDIS_URL` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Wall clock, ms; tests pass their own to age sessions. Default `Date.now`. */
  readonly now?: () => number;
  readonly logger?: Logger;
}

const SUBCOMMANDS = ['list', 'close', 'reconcile'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const DEFAULT_IDLE_MS = 60 * 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30m`, `1h`, `90s`, `2d`, `1.5h` or `0`. */
export function parseIdle(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_IDLE_MS;
  if (raw.trim() === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(raw.trim());
  const n = m ? Number(m[1]) * (UNIT_MS[m[2] as string] ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(n)) throw new ConfigError('--idle', `expected a duration like 30m, 1h, 90s or 0, got '${raw}'`);
  return n;
}

/**
 * The store a session command works on. Only durable stores: a memory store is gone
 * with the session that wrote it. A file store must already exist (opening would
 * create an empty one at a mistyped path) and must not be held by a running session.
 */
function storeSpec(spec: string | undefined, env: Readonly<Record<string, string | undefined>>): { spec: string; kind: 'file' | 'redis' } {
  const chosen = spec ?? env.REDIS_URL;
  if (chosen === undefined || chosen === 'memory') {
    throw new ConfigError('--store', 'sessions live in a durable store: name it with --store file:DIR or redis://HOST:PORT (or set REDIS_URL); a memory store ends with its session');
  }
  if (chosen.startsWith('file:')) {
    const dir = chosen.slice('file:'.length);
    if (dir !== '' && !existsSync(dir)) throw new ConfigError('--store', `no file store at ${dir}`);
    return { spec: chosen, kind: 'file' };
  }
  if (/^rediss?:\/\//.test(chosen)) return { spec: chosen, kind: 'redis' };
  throw new ConfigError('--store', `'${chosen.replace(/\/\/[^@/]*@/, '//***@')}' is not a store; allowed: file:<dir>, redis://host:port`);
}

function ts(t: number | undefined): string {
  return t === undefined ? '-' : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

function pnlText(pnl: Readonly<Record<string, number>>): string {
  const parts = Object.entries(pnl).map(([quote, v]) => `${v.toFixed(2)} ${quote}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function quietText(v: SessionView): string {
  if (v.liveness.basis === 'lock') return 'stopped';
  if (v.liveness.firstLook) return '0s (first look)';
  return formatDuration(v.liveness.quietMs ?? 0);
}

function statusText(v: SessionView): string {
  const parts = Object.entries(v.orders.byStatus).map(([s, n]) => `${s} ${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function positionCell(v: SessionView): string {
  if (v.state === 'CLOSED') return v.closed && v.closed.abandoned.length > 0 ? `abandoned ${positionsText(v.closed.abandoned)}` : '-';
  return v.positions.length === 0 ? '-' : positionsText(v.positions);
}

const HEADER = ['session', 'state', 'open', 'orders by status', 'position (base)', 'trades', 'net pnl', 'last activity', 'quiet'];

/** The `list` table: one row per session, columns as wide as their widest cell. */
function table(views: readonly SessionView[]): string[] {
  const rows = views.map((v) => [v.id, v.state, String(v.orders.open), statusText(v), positionCell(v), String(v.trades), pnlText(v.netPnl), ts(v.lastActivity), quietText(v)]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Counts and money read better right-aligned.
  const right = new Set([2, 5, 6]);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADER), ...rows.map(line)];
}

/**
 * `kairos sessions list | close <id> | reconcile <id>`: the sessions (user ids) of a
 * trade store, and what a killed session left behind. `list` marks as ORPHAN a session
 * with open orders or a position that no process can be updating (see
 * `SessionLiveness`); `close` settles a paper session's orphaned orders as `canceled`;
 * `reconcile` checks a session's records against each other, exiting 1 when it finds
 * problems.
 */
export async function sessionsCommand(argv: string[], io: CommandIo, options: SessionsCommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      deployment: { type: 'string' },
      idle: { type: 'string' },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [sub, id, ...extra] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new ConfigError('sessions', `expected a subcommand; allowed: ${SUBCOMMANDS.join(', ')}`, { allowed: SUBCOMMANDS });
  }
  const subcommand = sub as Subcommand;
  if (subcommand !== 'list' && id === undefined) throw new ConfigError('<id>', `kairos sessions ${subcommand} needs a session id (see kairos sessions list)`);
  if (extra.length > 0 || (subcommand === 'list' && id !== undefined)) throw new ConfigError('sessions', `unexpected argument '${[id, ...extra].filter(Boolean).join(' ')}' after 'sessions ${subcommand}'`);
  const idleMs = parseIdle(values.idle);
  if (values.deployment !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(values.deployment)) throw new ConfigError('--deployment', `'${values.deployment}' must be 1-64 letters, digits, '.', '-' or '_'`);
  const where = storeSpec(values.store, env);
  const now = (options.now ?? Date.now)();
  const logger = options.logger ?? cliLogger(io, 'warn');

  // Redis is opened with a write journal; the default one belongs to a trading session
  // (its epoch and its pending writes), which this command must neither adopt nor
  // replay: it gets a journal of its own, dropped when the command ends.
  const journalDir = where.kind === 'redis' ? await mkdtemp(join(tmpdir(), 'kairos-sessions-journal-')) : undefined;
  // Not a literal: a store opener without a journal simply ignores `journalDir`.
  const deps = { gate: new TradingGate(), logger, ...(values.deployment !== undefined ? { deployment: values.deployment } : {}), ...(journalDir ? { journalDir } : {}) };
  let opened: Awaited<ReturnType<typeof openTradeStore>>;
  try {
    opened = await openTradeStore(where.spec, env, deps);
  } catch (err) {
    if (journalDir) await rm(journalDir, { recursive: true, force: true });
    if (err instanceof FileLockError && err.reason === 'held') {
      // A live holder is a running session: its sessions are not orphans, and their records are its to write.
      throw new KairosError('STORE_ERROR', `${err.message}; a running session holds this file store, so none of its sessions is orphaned; stop it (Ctrl-C) before listing or closing`, {
        cause: err,
        details: err.details,
      });
    }
    throw err;
  }
  // The private journal is gone when the command ends: not worth naming.
  const shown = journalDir ? opened.description.replace(` (journal ${journalDir})`, '') : opened.description;
  const description = where.kind === 'redis' ? `${shown} (deployment ${values.deployment ?? 'default'})` : shown;
  const store = opened.store;
  // Holding a file store's lock proves no session process writes it; Redis has no lock.
  const ctx: LivenessContext = { basis: where.kind === 'file' ? 'lock' : 'observed', now, idleMs };
  const dispatch = async (): Promise<number> => {
    switch (subcommand) {
      case 'list': {
        const sessions = await readAllSessions(store);
        const views: SessionView[] = [];
        for (const s of sessions) views.push(await viewOf(store, s, ctx));
        if (values.json) {
          io.out(JSON.stringify(views));
          return 0;
        }
        if (views.length > 0) for (const l of table(views)) io.out(l);
        const orphans = views.filter((v) => v.orphan).length;
        io.out(`${views.length} session(s) in ${description}, ${orphans} orphan(s); last activity is the store's time (a paper session's is the replay's market time)`);
        io.out(
          ctx.basis === 'lock'
            ? 'quiet: stopped = this command holds the store lock, so no session is running'
            : `quiet: time since this command last saw the session change; ORPHAN after ${formatDuration(idleMs)} (--idle)`,
        );
        return 0;
      }
      case 'close': {
        const records = await readSession(store, id as string, description);
        const view = await viewOf(store, records, ctx);
        const outcome = await closeSession(store, records, view, { yes: values.yes, now, idleMs });
        if (values.json) {
          io.out(JSON.stringify({ closed: { session: outcome.session, already: outcome.already, ...outcome.record, notCanceled: outcome.notCanceled } }));
          return 0;
        }
        if (outcome.already) {
          io.out(`${outcome.session} was already closed at ${new Date(outcome.record.closedAt).toISOString()}; nothing to do`);
          return 0;
        }
        const r = outcome.record;
        io.out(`closed ${outcome.session}: canceled ${r.canceled.length} order(s)${r.canceled.length ? ` (${r.canceled.join(', ')})` : ''}`);
        if (r.abandoned.length > 0) io.out(`abandoned on paper: ${positionsText(r.abandoned)}`);
        for (const n of outcome.notCanceled) io.out(`not canceled: ${n.clientOrderId} is ${n.status} in the store`);
        return 0;
      }
      default: {
        // 'reconcile', the only subcommand left.
        const records = await readSession(store, id as string, description);
        const report = await checkSession(store, records);
        if (values.json) io.out(JSON.stringify(report));
        else if (report.clean) io.out(`reconcile ${report.session}: clean (${report.orders} order(s), ${report.fills} fill(s))`);
        else {
          io.out(`reconcile ${report.session}: ${report.problems.length} problem(s) in ${report.orders} order(s), ${report.fills} fill(s)`);
          for (const p of report.problems) io.out(`  ${p.kind.padEnd(18)} ${'clientOrderId' in p ? `${p.clientOrderId} ` : ''}${p.message}`);
        }
        // Like diff: 1 says "problems found", distinct from a usage error (2).
        return report.clean ? 0 : 1;
      }
    }
  };
  let code: number;
  let unsent = 0;
  try {
    code = await dispatch();
  } finally {
    unsent = journaledWrites(opened);
    await store.close?.();
    if (journalDir) await rm(journalDir, { recursive: true, force: true });
  }
  // Every write here is idempotent and re-made by running the command again, so a
  // journal kept for them would only replay what that rerun does anyway.
  if (unsent > 0) {
    throw new KairosError('STORE_ERROR', `the store went away during the command: ${unsent} write(s) did not reach it; run the command again once it is back`, { retryable: true });
  }
  return code;
}

/** Writes a journaling store accepted while its store was away, i.e. that never reached it. */
function journaledWrites(opened: object): number {
  const journaling = (opened as { journaling?: { journaled?: unknown } }).journaling;
  return typeof journaling?.journaled === 'number' ? journaling.journaled : 0;
}
