import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Bot, sleep } from './kairos-bot';
import { OwnRedis } from './own-redis';

// Seen: "a Redis outage of 20 s or more kills the bot (exit 1, STORE_ERROR ... max
// retries, no summary, positions open)". Here Redis is down for real (killed: the
// connection is refused) for 30 s, then started again with its data (AOF, fsync always).
// The bot runs from a folder of its own with no --journal, so the default journal
// (`.kairos/journal/<session>`) is used, and the same test runs on the code before the fix.
// The folder is under the repository's ignored `.tmp/`: `node --import tsx` resolves from there.
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('kairos start through a Redis that is down 30 s (connection refused) and comes back with its data', () => {
  it('keeps running (seen: exit 1 with STORE_ERROR max retries), trades again within 10 s, and raises no state-lost false alarm', async () => {
    const redis = await OwnRedis.start({ persistDir: await mkdtemp(join(tmpdir(), 'kairos-aof-')) });
    await mkdir(join(root, '.tmp'), { recursive: true });
    const cwd = await mkdtemp(join(root, '.tmp', 'kairos-down-'));
    const bot = new Bot(['--store', redis.url, '--session', 'down-run', '--speed', '120000', '--summary-every', '1', '--symbols', 'BTC/USDT,ETH/USDT'], cwd);
    try {
      await bot.waitFor('out', /^\[order\] BUY/, 0, 30_000);
      const began = Date.now();
      await redis.kill();
      await sleep(30_000);
      expect(bot.running, `the bot died while Redis was down\n${bot.tail()}`).toBe(true);
      await redis.start();
      const back = Date.now();
      await bot.waitFor('err', /trade store back after/, back, 10_000);
      const entry = await bot.waitFor('out', /^\[order\] BUY .*\(entry\)/, back, 10_000);
      expect(entry.at - back).toBeLessThan(10_000);
      bot.stop('SIGINT');
      expect(await bot.exited, bot.tail()).toBe(0);
      const err = bot.err.filter((l) => l.at >= began).map((l) => l.text).join('\n');
      expect(err).not.toMatch(/STORE_STATE_LOST|STORE_ERROR|max retries|fatal/);
      expect(bot.out.map((l) => l.text).join('\n')).toMatch(/\[store\] store away ([3-9]\d)\.\d s \(1 outage\) in this run/);
      expect((await stat(join(cwd, '.kairos', 'journal', 'down-run', 'journal.jsonl'))).size, 'the default journal, replayed and emptied').toBe(0);
    } finally {
      bot.stop('SIGKILL');
      await redis.kill();
      await rm(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
