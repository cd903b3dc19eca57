import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite runs on its own (npm run test:faults, vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    // The Temporal native bridge needs real processes, not worker threads.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for state that arrives through real services (browser pages, the event stream);
    // vitest's default second is too short on a loaded 2-core machine.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    // Failures in one file must not hide behind another's timers: keep the output per file readable.
    reporters: ['default'],
  },
});
