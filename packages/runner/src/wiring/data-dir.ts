import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bundled sample data folder: `data/` at the repository root, found from the
 * working directory or from this module's location (source or built).
 */
export function defaultDataDir(): string {
  const starts = [process.cwd(), dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = resolve(start);
    for (let i = 0; i < 8; i++) {
      const candidate = join(dir, 'data');
      if (existsSync(join(candidate, 'BTC_USDT-1h.csv'))) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return resolve('data');
}
