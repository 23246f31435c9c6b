import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real SMTP servers, SQLite files and Chromium make some tests slow to start; none is timed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
