import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PoolEntry } from './pool-entry';

const COLUMNS = [
  'id',
  'userId',
  'symbol',
  'strategyId',
  'status',
  'entryTime',
  'entryPrice',
  'amount',
  'exitTime',
  'exitPrice',
  'pnl',
  'pnlPct',
  'unrealizedPnl',
  'fees',
  'lastPrice',
  'entryReason',
  'exitReason',
] as const;

const iso = (t: number | undefined) => (t === undefined ? '' : new Date(t).toISOString());

function textCell(value: string | undefined): string {
  if (value === undefined) return '';
  // A leading = + - @ would run as a formula in a spreadsheet; a quote mark disarms it.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Pool rows as CSV (RFC 4180, header first, ISO times, `\n` line ends). */
export function poolEntriesToCsv(entries: readonly PoolEntry[]): string {
  const lines = [COLUMNS.join(',')];
  for (const e of entries) {
    lines.push(
      [
        textCell(e.id),
        textCell(e.userId),
        textCell(e.symbol),
        textCell(e.strategyId),
        e.status,
        iso(e.entryTime),
        String(e.entryPrice),
        String(e.amount),
        iso(e.exitTime),
        e.exitPrice === undefined ? '' : String(e.exitPrice),
        String(e.pnl),
        String(e.pnlPct),
        String(e.unrealizedPnl),
        String(e.fees),
        String(e.lastPrice),
        textCell(e.entryReason),
        textCell(e.exitReason),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Writes rows to a CSV file (via a temporary file, so readers never see half of it). */
export async function exportPoolCsv(path: string, entries: readonly PoolEntry[]): Promise<number> {
  await writeAtomically(path, poolEntriesToCsv(entries));
  return entries.length;
}

/** Writes rows to a JSON file: `{ exportedAt, count, trades }`. */
export async function exportPoolJson(path: string, entries: readonly PoolEntry[], exportedAt = Date.now()): Promise<number> {
  await writeAtomically(path, `${JSON.stringify({ exportedAt: iso(exportedAt), count: entries.length, trades: entries }, null, 2)}\n`);
  return entries.length;
}
