import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): each file runs the whole service as processes and breaks it on
 * purpose, so files run one after another (the machine has two cores) with long timeouts.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/faults/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
