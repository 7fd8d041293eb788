import { defineConfig } from 'tsup';

export default defineConfig({
  // The sweep worker is its own entry: worker threads load it by file next to index.js.
  entry: { index: 'src/index.ts', 'sweep-worker': 'src/optimize/sweep-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
