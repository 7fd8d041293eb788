import { defineConfig } from 'vitest/config';

// Soak runs too long for every CI run (a 10-minute outage): `pnpm test:soak`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/soak/**/*.soak.ts'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
