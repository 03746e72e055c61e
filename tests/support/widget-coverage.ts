/**
 * Per-test coverage of an instrumented widget build (scripts/coverage-probes.ts), for
 * `npm run test:mutation-score`. Off unless CV_COVERAGE_DIR names a folder: then every browser
 * context the fixtures make receives the build's probe reports, and each test's probes are
 * written to `<CV_COVERAGE_DIR>/<test id>.json` when it ends. A worker runs one test at a time,
 * so the probes heard between a test's start and end are that test's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrowserContext, TestInfo } from '@playwright/test';
import type { TestCoverage } from '../../scripts/coverage-probes.js';

const coverageDir = process.env.CV_COVERAGE_DIR;
const heard = new Set<string>();

/** Lets this context's pages report the probes they run (nothing without CV_COVERAGE_DIR). */
export async function hearWidgetCoverage(context: BrowserContext): Promise<void> {
  if (!coverageDir) return;
  await context.exposeBinding('__cvCoverage', (_source, ids: string[]) => {
    for (const id of ids) heard.add(id);
  });
}

/** Around one test: forgets the last test's probes, then writes this one's. */
export async function recordTestCoverage(testInfo: TestInfo, run: () => Promise<void>): Promise<void> {
  if (!coverageDir) return run();
  heard.clear();
  await run();
  const entry: TestCoverage = {
    location: `${relative(process.cwd(), testInfo.file)}:${testInfo.line}`,
    title: testInfo.titlePath.slice(1).join(' › '),
    probes: [...heard].sort(),
  };
  mkdirSync(coverageDir, { recursive: true });
  writeFileSync(join(coverageDir, `${testInfo.testId}-${testInfo.repeatEachIndex}.json`), JSON.stringify(entry));
}
