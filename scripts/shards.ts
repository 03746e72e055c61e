/**
 * `npm run test:shards`: the suite split into shards as separate CI machines run it, each with
 * the blob reporter, and the shards merged (`playwright merge-reports`) into one HTML report and
 * one conformance report. On one machine the shards run one after another; the GitHub Actions
 * workflow (.github/workflows/suite.yml) runs them side by side and merges them the same way.
 *
 *   npm run test:shards                                   the whole suite in 2 shards
 *   npm run test:shards -- --shards 3 tests/specs/logout.spec.ts
 *   npm run test:shards -- --against reports/conformance/conformance.json tests/specs/logout.spec.ts
 *   npm run test:shards -- --merge-only --against …       merge (and compare) the blobs already in reports/shards/blob
 *
 * --against compares the merged conformance report with a single run's: every clause the shards
 * ran must have the same outcome and the same tests, each test once. It exits non-zero on any
 * difference, and when a shard fails.
 *
 * Reports: reports/shards/blob/ (the shards' blobs), reports/shards/html/, reports/shards/conformance/.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import type { ClauseResult, ConformanceReport } from '../tests/reporters/conformance.js';
import { root } from './widget-variants.js';

type ConformanceTest = ClauseResult['tests'][number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shards: { type: 'string', default: '2' },
    against: { type: 'string' },
    'merge-only': { type: 'boolean', default: false },
  },
});
const total = Number(values.shards);
if (!Number.isInteger(total) || total < 1) {
  console.error(`--shards: a whole number of shards, at least 1 (got "${values.shards}")`);
  process.exit(2);
}

const out = join(root, 'reports/shards');
const blobs = join(out, 'blob');
const failedShards: number[] = [];
if (!values['merge-only']) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(blobs, { recursive: true });
  for (let shard = 1; shard <= total; shard++) {
    console.log(`\n[shards] shard ${shard}/${total}`);
    // Each shard has its own blob folder: the blob reporter empties its folder when it starts.
    const own = join(out, `shard-${shard}`);
    const run = spawnSync('npx', ['playwright', 'test', ...positionals, `--shard=${shard}/${total}`, '--reporter=dot,blob'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_BLOB_OUTPUT_DIR: own },
    });
    if (run.status !== 0) failedShards.push(shard);
    // A shard that could not start wrote no blob: it is reported as failed, and the merge goes on without it.
    const written = existsSync(own) ? readdirSync(own).filter((f) => f.endsWith('.zip')) : [];
    for (const zip of written) copyFileSync(join(own, zip), join(blobs, zip));
  }
}

if (!existsSync(blobs)) {
  console.error(`[shards] no blob reports in ${blobs}: run the shards first (without --merge-only)`);
  process.exit(1);
}
// merge-reports unpacks into the folder it reads: leave only the shards' zips there.
const zips = readdirSync(blobs).filter((f) => f.endsWith('.zip'));
for (const f of readdirSync(blobs)) if (!zips.includes(f)) rmSync(join(blobs, f), { recursive: true, force: true });
console.log(`\n[shards] merging ${zips.length} blob reports`);
const merged = spawnSync('npx', ['playwright', 'merge-reports', '--config', 'playwright.merge.config.ts', blobs], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PLAYWRIGHT_HTML_OUTPUT_DIR: join(out, 'html'),
    PLAYWRIGHT_JUNIT_OUTPUT_FILE: join(out, 'junit.xml'),
    CONFORMANCE_DIR: join(out, 'conformance'),
  },
});
if (merged.status !== 0) {
  console.error('[shards] merge-reports failed');
  process.exit(1);
}

const problems: string[] = failedShards.map((s) => `shard ${s}/${total} failed (see its output above and reports/shards/html)`);
if (values.against) {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
  const sharded = read(join(out, 'conformance/conformance.json'));
  const single = new Map(read(values.against).clauses.map((c) => [c.id, c]));
  const key = (t: ConformanceTest) => `${t.file}:${t.line} ${t.title}`;
  let clauses = 0;
  let tests = 0;
  for (const clause of sharded.clauses) {
    if (clause.outcome === 'not run') continue;
    clauses += 1;
    tests += clause.tests.length;
    const other = single.get(clause.id);
    if (!other) {
      problems.push(`${clause.id}: in the merged report, not in ${values.against}`);
      continue;
    }
    if (clause.outcome !== other.outcome) problems.push(`${clause.id}: ${clause.outcome} merged, ${other.outcome} in one run`);
    const mine = clause.tests.map(key);
    const theirs = other.tests.map(key);
    const twice = mine.filter((k, i) => mine.indexOf(k) !== i);
    if (twice.length) problems.push(`${clause.id}: the merged report has ${twice.join(', ')} more than once`);
    const lost = theirs.filter((k) => !mine.includes(k));
    const extra = mine.filter((k) => !theirs.includes(k));
    if (lost.length) problems.push(`${clause.id}: the merged report lacks ${lost.join(', ')}`);
    if (extra.length) problems.push(`${clause.id}: the merged report has ${extra.join(', ')}, which one run did not`);
  }
  if (!problems.length) {
    console.log(
      `[shards] the ${total} shards merged agree with ${values.against}: ${clauses} clauses, ${tests} tests, each once, same outcomes`,
    );
  }
}
for (const p of problems) console.error(`[shards] ${p}`);
console.log(`[shards] reports: ${join(out, 'html')}, ${join(out, 'conformance/conformance.md')}`);
process.exit(problems.length ? 1 : 0);
