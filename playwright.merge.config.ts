/**
 * The reporters of `npx playwright merge-reports`: the shards' blob reports (one per machine,
 * `npx playwright test --shard=i/n --reporter=blob`) become one HTML report, one JUnit file and
 * one conformance report, as if the suite had run on one machine. Output folders follow the
 * usual environment variables (PLAYWRIGHT_HTML_OUTPUT_DIR, PLAYWRIGHT_JUNIT_OUTPUT_FILE,
 * CONFORMANCE_DIR); by default they are those of a single CI run, under reports/.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  reporter: [
    ['dot'],
    ['html', { open: 'never', outputFolder: process.env.PLAYWRIGHT_HTML_OUTPUT_DIR ?? 'reports/html' }],
    ['junit', { outputFile: process.env.PLAYWRIGHT_JUNIT_OUTPUT_FILE ?? 'reports/junit.xml' }],
    ['./tests/reporters/conformance.ts', { outputDir: 'reports/conformance' }],
  ],
});
