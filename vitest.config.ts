import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Ink stops drawing frames when CI is set (is-in-ci); component tests need the frames.
          env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/lab/**', 'test/e2e/**'],
          globalSetup: ['test/helpers/build-setup.ts'],
          // Some spawn the built CLI: a loaded machine must not turn a slow start into a failure.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/build-setup.ts', 'test/helpers/lab-setup.ts'],
          // The lab is one shared swarm: its tests change it, so they run one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
