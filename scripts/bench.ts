/**
 * `pnpm bench <name> [--json]`: runs scripts/bench-<name>.ts, whose `run` prints a table
 * of figures (or, with --json, one JSON object in the format of DESIGN.md).
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const name = args.find((a) => !a.startsWith('--'));
const available = (await readdir(here))
  .filter((f) => /^bench-.+\.ts$/.test(f))
  .map((f) => f.slice(6, -3))
  .sort();

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <name> [--json]; available: ${available.join(', ') || 'none'}\n`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(join(here, `bench-${name}.ts`)).href)) as { run: (o: { json: boolean; args: string[] }) => Promise<unknown> };
await mod.run({ json, args });
