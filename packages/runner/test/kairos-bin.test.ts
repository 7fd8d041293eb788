import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// What `pnpm kairos` execs: the link the install made to the runner's bin.
const linked = `${root}node_modules/.bin/kairos`;

describe('the kairos bin', () => {
  it('is linked by the install, so `pnpm kairos` runs it without a build', () => {
    expect(existsSync(linked)).toBe(true);
  });

  it('prints nothing but the JSON on stdout under `pnpm kairos ... --json`, so it can be piped', () => {
    // The pnpm this repository pins, as the README runs it: a package.json script would get pnpm's banner on stdout.
    const { packageManager } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { packageManager: string };
    const run = spawnSync('npx', ['-y', packageManager, 'kairos', 'indicators', 'list', '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as Array<{ name: string }>;
    expect(list.map((s) => s.name)).toContain('ema');
  }, 60_000);

  it('exits 0 when the reader closes the pipe early, as `| head` does', () => {
    const cmd = `set -o pipefail; '${linked}' indicators compute --name bbands --file '${root}data/BTC_USDT-1h.csv' --json | head -c 100 >/dev/null`;
    const run = spawnSync('bash', ['-c', cmd], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/EPIPE/);
    expect(run.status).toBe(0);
}, 60_000);
});
