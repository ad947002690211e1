import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(new URL('./api/package.json', import.meta.url));

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; Apollo Server requires the CommonJS one, so every
    // other import must get the same file or graphql sees two realms ("another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // Tests that start the server as `pnpm start` does run its compiled JavaScript: built first.
    globalSetup: ['api/test/support/build.ts'],
    include: ['db/test/**/*.test.ts', 'api/test/**/*.test.ts', 'sdk/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
    // Each test file gets its own database (PGlite in memory, or a fresh PostgreSQL database);
    // two workers match the two cores the machines have.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Every statement the tests send is rendered by Drizzle too, and must come out the same (db/src/render.ts).
    env: { LOG_LEVEL: 'silent', NARAVARD_CHECK_RENDERING: '1' },
  },
});
