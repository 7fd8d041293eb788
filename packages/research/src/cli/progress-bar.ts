/** Where a progress bar draws, and whether it may redraw in place. */
export interface ProgressSink {
  write(text: string): void;
  readonly tty: boolean;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A terminal progress bar with ETA: `label [#####-----] 52% 520/1000 ETA 14s`. Redraws
 * in place on a TTY (at most every 100 ms); elsewhere prints a line every 10%.
 */
export function createProgressBar(sink: ProgressSink, label: string, now: () => number = Date.now): (done: number, total: number) => void {
  const start = now();
  let lastDraw = 0;
  let lastDecile = -1;
  return (done, total) => {
    const t = now();
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const eta = frac > 0 ? ((t - start) / frac) * (1 - frac) : Number.POSITIVE_INFINITY;
    const width = 24;
    const filled = Math.round(frac * width);
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ${done}/${total} ETA ${duration(eta)}`;
    if (sink.tty) {
      if (t - lastDraw < 100 && done < total) return;
      lastDraw = t;
      sink.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      sink.write(`${line}\n`);
    }
  };
}
