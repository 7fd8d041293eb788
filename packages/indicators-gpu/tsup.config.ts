import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker backend loads worker-entry.js next to index.js in a worker thread.
  entry: { index: 'src/index.ts', 'worker-entry': 'src/multi/worker-entry.ts' },
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
