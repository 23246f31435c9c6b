import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Every build and send in the suite, in-process or spawned, runs on one fixed clock
    // (2026-11-24T20:00:00Z, the day the fixtures are written around), so the suite passes on any
    // day: `faketime -f +400d npm test` and `-400d` too. A test that needs another "now" sets it.
    env: { SOURCE_DATE_EPOCH: '1795550400' },
    // Names the run's throwaway PostgreSQL cluster (started on first use) and stops it at the end.
    globalSetup: ['tests/helpers/postgres-global.ts'],
    // Real SMTP servers, SQLite files and Chromium make some tests slow to start on a loaded
    // machine; none is timed, so the limits are generous: they only catch a hang.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
