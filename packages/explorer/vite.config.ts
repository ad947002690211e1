import { defineConfig } from 'vite';

/** Where the API serves the built files: EXPLORER_PATH in api/src/explorer.ts. Asset URLs are built under it. */
export const EXPLORER_BASE = '/explorer/';

export default defineConfig({
  base: EXPLORER_BASE,
  // The app loads nothing from outside: the built files hold GraphiQL, Monaco and its workers.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco is large by nature; the warning says nothing useful here.
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // framer-motion's "use client" directives mean nothing outside React Server Components.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  // The worker setup imports Monaco's workers with `?worker`, which the dev server's dependency
  // pre-bundling cannot load: leave it to Vite's own worker handling.
  optimizeDeps: { exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'] },
  server: {
    // `pnpm --filter @naravard/explorer dev` against an API started with `pnpm start`.
    proxy: { '/graphql': 'http://127.0.0.1:4000' },
  },
});
