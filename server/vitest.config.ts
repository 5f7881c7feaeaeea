import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // swc emits the decorator metadata TypeGraphQL and MikroORM read; esbuild does not
  plugins: [swc.vite({ tsconfigFile: './tsconfig.json' })],
  resolve: {
    // one graphql module for the whole process, or graphql-js sees "another module or realm"; only the bare name,
    // so that a deep import (graphql/execution/…) reaches the same CommonJS files
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // the embedded-database test starts its own PostgreSQL; keep the machine's 2 cores from thrashing
    maxWorkers: 2,
  },
});
