import { defineConfig } from 'vitest/config';

// One JUnit report per suite (test/unit, test/webview, test/server, test/e2e) for the CI summary.
const suite = process.argv.find((a) => /^test\/[a-z]+/.test(a))?.split('/')[1] ?? 'all';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    hookTimeout: 60000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', 'junit'],
    outputFile: { junit: `test-results/${suite}.xml` },
  },
});
