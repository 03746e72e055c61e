/**
 * `npm run test:mutation-score`: how strong the gate is against bugs nobody chose. Generates
 * every mutant of widget/src that a set of standard operators makes (the operators of StrykerJS
 * and PIT: conditions, equality and logical operators, booleans, arithmetic, removed
 * statements, emptied blocks, strings and arrays, optional chains), draws a seeded random sample,
 * builds each one as its own widget bundle and runs the suite against it through CV_WIDGET,
 * with a time bound per mutant. It reports the kill rate, the clause that killed each mutant,
 * and every survivor.
 *
 * Each mutant runs only the tests that run the statement it changes: the reference run that
 * starts the score uses an instrumented build of the same sources and records, test by test,
 * which statements ran (scripts/coverage-probes.ts; StrykerJS's "perTest" coverage analysis). A
 * mutant of code no test runs survives without a run ("no coverage"). `--all-tests` runs every
 * spec against every mutant instead.
 *
 *   npm run test:mutation-score                         60 mutants, seed 1
 *   npm run test:mutation-score -- --sample 100 --seed 7
 *   npm run test:mutation-score -- --list               every mutant it can make, without running
 *   npm run test:mutation-score -- --only <id> …        these mutants (ids as the report prints them)
 *   npm run test:mutation-score -- --report-only        the last run's report again, with today's verdicts
 *   npm run test:mutation-score -- --resume             keep the last run's outcomes for mutants it already ran
 *   npm run test:mutation-score -- --resume --from docs/mutation-score/summary.json   …of a committed report
 *   npm run test:mutation-score -- --all-tests          every spec against every mutant (no coverage analysis)
 *
 * Why not StrykerJS: its mutants are all compiled into one instrumented build and switched on by
 * the `__STRYKER_ACTIVE_MUTANT__` environment variable, read from `process.env` in the code under
 * test. This code runs bundled in a browser page, served by another process, so no mutant would
 * ever switch on; here each mutant is a plain build of its own, tested as any widget build is.
 *
 * Survivors that cannot change what the contract observes are listed, with the reason, in
 * scripts/mutation-verdicts.json; the score leaves them out. Reports: reports/mutation-score/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { allProbes, probeFor, type TestCoverage } from './coverage-probes.js';
import { buildInstrumented, buildVariant, root, runSuite, snapshotSources, WIDGET_SPECS, type SuiteResult } from './widget-variants.js';

interface Mutant {
  id: string;
  file: string;
  line: number;
  operator: string;
  original: string;
  replacement: string;
  start: number;
  end: number;
}

const SOURCE_DIR = 'widget/src';

const BINARY_SWAPS: Partial<Record<ts.SyntaxKind, [string, ts.SyntaxKind]>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: ['equality', ts.SyntaxKind.ExclamationEqualsEqualsToken],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: ['equality', ts.SyntaxKind.EqualsEqualsEqualsToken],
  [ts.SyntaxKind.LessThanToken]: ['boundary', ts.SyntaxKind.LessThanEqualsToken],
  [ts.SyntaxKind.LessThanEqualsToken]: ['boundary', ts.SyntaxKind.LessThanToken],
  [ts.SyntaxKind.GreaterThanToken]: ['boundary', ts.SyntaxKind.GreaterThanEqualsToken],
  [ts.SyntaxKind.GreaterThanEqualsToken]: ['boundary', ts.SyntaxKind.GreaterThanToken],
  [ts.SyntaxKind.AmpersandAmpersandToken]: ['logical', ts.SyntaxKind.BarBarToken],
  [ts.SyntaxKind.BarBarToken]: ['logical', ts.SyntaxKind.AmpersandAmpersandToken],
  [ts.SyntaxKind.QuestionQuestionToken]: ['logical', ts.SyntaxKind.AmpersandAmpersandToken],
  [ts.SyntaxKind.PlusToken]: ['arithmetic', ts.SyntaxKind.MinusToken],
  [ts.SyntaxKind.MinusToken]: ['arithmetic', ts.SyntaxKind.PlusToken],
  [ts.SyntaxKind.AsteriskToken]: ['arithmetic', ts.SyntaxKind.SlashToken],
  [ts.SyntaxKind.PlusEqualsToken]: ['assignment', ts.SyntaxKind.MinusEqualsToken],
  [ts.SyntaxKind.MinusEqualsToken]: ['assignment', ts.SyntaxKind.PlusEqualsToken],
};

function inTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isModuleDeclaration(n)) return true;
  }
  return false;
}

/** Logging only: `console.*(…)`. Mutating it changes nothing a user or the server sees. */
function isLogging(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.getText() === 'console')
      return true;
  }
  return false;
}

/** Every mutant of one file, in source order. */
function mutantsOf(file: string): Mutant[] {
  const text = readFileSync(join(sources, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Mutant[] = [];
  const add = (node: ts.Node, operator: string, replacement: string, range?: { start: number; end: number }) => {
    const start = range?.start ?? node.getStart(source);
    const end = range?.end ?? node.getEnd();
    const original = text.slice(start, end);
    if (original === replacement) return;
    const { line, character } = source.getLineAndCharacterOfPosition(start);
    found.push({
      id: `${file.replace(`${SOURCE_DIR}/`, '')}:${line + 1}:${character + 1}:${operator}`,
      file,
      line: line + 1,
      operator,
      original,
      replacement,
      start,
      end,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || inTypePosition(node) || isLogging(node)) return;
    if (node.kind === ts.SyntaxKind.TrueKeyword) add(node, 'boolean', 'false');
    if (node.kind === ts.SyntaxKind.FalseKeyword) add(node, 'boolean', 'true');
    if (ts.isBinaryExpression(node)) {
      const swap = BINARY_SWAPS[node.operatorToken.kind];
      if (swap) {
        add(node.operatorToken, swap[0], ts.tokenToString(swap[1])!);
      }
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, 'negation-removed', node.operand.getText(source));
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && node.operator === ts.SyntaxKind.PlusPlusToken) {
      add(node, 'update', node.getText(source).replace('++', '--'));
    }
    if (ts.isIfStatement(node) || ts.isConditionalExpression(node) || ts.isWhileStatement(node)) {
      const condition = ts.isConditionalExpression(node) ? node.condition : node.expression;
      add(condition, 'condition-true', 'true');
      add(condition, 'condition-false', 'false');
    }
    if (ts.isExpressionStatement(node)) add(node, 'statement-removed', ';');
    if (
      ts.isBlock(node) &&
      node.statements.length > 0 &&
      (ts.isFunctionLike(node.parent) || ts.isMethodDeclaration(node.parent) || ts.isArrowFunction(node.parent))
    ) {
      add(node, 'block-emptied', '{}');
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.length > 0) {
      const parent = node.parent;
      const isKey = (ts.isPropertyAssignment(parent) && parent.name === node) || ts.isElementAccessExpression(parent);
      if (!isKey) add(node, 'string-emptied', "''");
    }
    if (ts.isArrayLiteralExpression(node) && node.elements.length > 0) add(node, 'array-emptied', '[]');
    if ((ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken) {
      add(node, 'optional-chain-removed', '', { start: node.questionDotToken.getStart(source), end: node.questionDotToken.getEnd() });
      found[found.length - 1]!.replacement = ts.isCallExpression(node) ? '' : '.';
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function allMutants(): Mutant[] {
  return readdirSync(join(sources, SOURCE_DIR))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .flatMap((f) => mutantsOf(`${SOURCE_DIR}/${f}`));
}

/** mulberry32: a small seeded generator, so that a sample can be drawn again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(items: T[], count: number, seed: number): T[] {
  const next = random(seed);
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.min(count, pool.length));
}

/** Quick lifecycle specs first: most mutants die there, and a run stops at its first failure.
 * The rest (the lifecycle model's long runs among them) only for what survives them. */
const FIRST_SPECS = [
  'tests/specs/history-on-login.spec.ts',
  'tests/specs/logout.spec.ts',
  'tests/specs/session-id.spec.ts',
  'tests/specs/tag-fields.spec.ts',
  'tests/specs/races.spec.ts',
  'tests/specs/switch-user.spec.ts',
];
const REST_SPECS = readdirSync(join(root, 'tests/specs'))
  .filter((f) => f.endsWith('.spec.ts'))
  .map((f) => `tests/specs/${f}`)
  .filter((f) => !FIRST_SPECS.includes(f))
  .concat('tests/sites');

/** `no coverage`: no test runs the changed statement, so it survives without a run. */
type Outcome = 'killed' | 'survived' | 'no coverage' | 'timeout' | 'invalid' | 'not tested';
const NOT_KILLED: Outcome[] = ['survived', 'no coverage'];

interface Verdict {
  equivalent?: string;
  note?: string;
  /** The mutated text: ids name a line and column, which another commit may give another mutant. */
  original?: string;
}

const { values } = parseArgs({
  options: {
    sample: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    list: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    // A hang detector, far above a surviving mutant's full run (about 10 minutes on a busy 2-core
    // machine): a bound near it would count a slow survivor as killed.
    'timeout-minutes': { type: 'string', default: '30' },
    'skip-reference': { type: 'boolean', default: false },
    'all-tests': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
    // The report --resume and --report-only read: the last run's by default, or a committed one
    // (docs/mutation-score/), since reports/ is not kept in git.
    from: { type: 'string' },
  },
});

const outDir = join(root, '.mutants/score');
const reportDir = join(root, 'reports/mutation-score');
const savedReport = values.from ? resolve(values.from) : join(reportDir, 'summary.json');
const verdicts = JSON.parse(readFileSync(join(root, 'scripts/mutation-verdicts.json'), 'utf8')) as Record<string, Verdict>;
/** `tests`: how many tests ran it (those that run its statement), when coverage chose them. */
type Row = { mutant: Mutant; outcome: Outcome; by: string[]; seconds: number; tests?: number };
interface Summary {
  seed: number;
  sample: number;
  of: number;
  score: number;
  rows: Row[];
  /** Which coverage chose the tests: its key (a hash of the sources and the instrumentation), or 'all tests'. */
  coverage?: string;
}
const rows: Row[] = [];
let coverageKey = 'all tests';

if (values['report-only']) {
  // The last run's results again, with the verdicts as they are now (survivors explained since):
  // nothing is snapshot, built or run.
  const saved = JSON.parse(readFileSync(savedReport, 'utf8')) as Summary;
  rows.push(...saved.rows);
  coverageKey = saved.coverage ?? coverageKey;
  console.log(writeReport(saved.seed, saved.sample, saved.of).join('\n'));
  process.exit(0);
}

// The run mutates and builds a snapshot of the sources taken now: editing widget/src meanwhile changes nothing.
const sources = snapshotSources(join(outDir, 'snapshot'));
const every = allMutants();
if (values.list) {
  for (const m of every) console.log(`${m.id.padEnd(48)} ${JSON.stringify(m.original).slice(0, 60)} → ${JSON.stringify(m.replacement)}`);
  console.log(`\n${every.length} mutants`);
  process.exit(0);
}
const seed = Number(values.seed);
const chosen = values.only?.length ? every.filter((m) => values.only!.includes(m.id)) : sample(every, Number(values.sample), seed);
const boundMs = Number(values['timeout-minutes']) * 60_000;
mkdirSync(outDir, { recursive: true });
mkdirSync(reportDir, { recursive: true });

// A failing model sequence is reported as found: shrinking it would only make the run longer.
process.env.FC_END_ON_FAILURE = '1';
const run = (name: string, file: string, specs: string[], timeoutMs: number): SuiteResult =>
  runSuite(file, {
    specs,
    stopAtFirstFailure: true,
    timeoutMs,
    reportDir: join(reportDir, 'runs', name),
    // Not under test-results/: another Playwright run empties that folder when it starts.
    outputDir: join(outDir, 'results', name),
  });

const referenceFile = await buildVariant(join(outDir, 'reference.js'), undefined, sources);
const coverage = values['all-tests'] ? undefined : await testsByStatement();
if (!coverage && !values['skip-reference']) {
  console.log('\n[score] reference build (the control: it must pass every spec)');
  const reference = run('reference', referenceFile, WIDGET_SPECS, boundMs);
  if (!reference.ok) {
    console.error(`[score] the reference build fails (${reference.failedClauses.join(', ') || 'the run failed'}): no score`);
    process.exit(1);
  }
}

/**
 * Which tests run each statement of these sources: from the instrumented reference run, which is
 * also the control (it must pass every spec). Kept under a hash of the sources and the tests, so that a resumed
 * run of the same code does not run it again.
 */
async function testsByStatement(): Promise<TestCoverage[]> {
  // The instrumentation and the tests count as much as the sources: a change to any of them
  // records coverage again (a new test is in no earlier recording, so it would run no mutant).
  const hash = createHash('sha256').update(readFileSync(join(root, 'scripts/coverage-probes.ts')));
  hash.update(readFileSync(join(root, 'playwright.config.ts')));
  for (const dir of ['widget/src', 'protocol']) {
    for (const name of readdirSync(join(sources, dir)).sort()) hash.update(name).update(readFileSync(join(sources, dir, name)));
  }
  const testFiles = readdirSync(join(root, 'tests'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const name of testFiles) hash.update(name).update(readFileSync(join(root, 'tests', name)));
  coverageKey = hash.digest('hex').slice(0, 16);
  const dir = join(outDir, 'coverage', coverageKey);
  const complete = join(dir, 'complete');
  if (!existsSync(complete)) {
    console.log(
      '\n[score] reference build, instrumented (the control: it must pass every spec; it records which tests run which statement)',
    );
    rmSync(dir, { recursive: true, force: true });
    const instrumented = await buildInstrumented(join(outDir, 'reference-instrumented.js'), sources);
    const reference = runSuite(instrumented, {
      specs: WIDGET_SPECS,
      timeoutMs: boundMs,
      reportDir: join(reportDir, 'runs', 'reference'),
      outputDir: join(outDir, 'results', 'reference'),
      coverageDir: join(dir, 'tests'),
    });
    if (!reference.ok) {
      console.error(`[score] the reference build fails (${reference.failedClauses.join(', ') || 'the run failed'}): no score`);
      process.exit(1);
    }
    writeFileSync(complete, new Date().toISOString());
  } else {
    console.log(`[score] the reference's coverage of these sources was recorded by an earlier run (${dir}): kept`);
  }
  const tests = readdirSync(join(dir, 'tests')).map((f) => JSON.parse(readFileSync(join(dir, 'tests', f), 'utf8')) as TestCoverage);
  console.log(`[score] coverage of ${tests.length} tests`);
  return tests;
}

const probes = allProbes(sources, SOURCE_DIR);
/** The places of the tests that run the statement a mutant changes (every spec without coverage). */
function testsFor(mutant: Mutant): string[] | undefined {
  if (!coverage) return undefined;
  const probe = probeFor(probes.get(mutant.file) ?? [], mutant.start, mutant.end, mutant.operator === 'block-emptied');
  const running = probe ? coverage.filter((t) => t.probes.includes(probe.id)) : coverage;
  return [...new Set(running.map((t) => t.location))];
}

/** With --resume: the last run's outcomes, for mutants that are still the same change of the same code. */
const earlier = new Map<string, Row>();
if (values.resume) {
  try {
    const saved = JSON.parse(readFileSync(savedReport, 'utf8')) as Summary;
    // A kill stands whatever chose the tests; a survivor only if the same coverage chose them
    // (another coverage may name a test that kills it).
    const sameTests = saved.coverage === coverageKey;
    for (const row of saved.rows) {
      // An equivalent survivor is left out of the score whatever runs it, so it is not run again.
      const equivalent = NOT_KILLED.includes(row.outcome) && verdictFor(row.mutant)?.equivalent;
      if (row.outcome === 'killed' || row.outcome === 'invalid' || equivalent || (sameTests && row.outcome !== 'not tested'))
        earlier.set(row.mutant.id, row);
    }
    if (!sameTests) console.log('[score] --resume: the tests are chosen by another coverage now: survivors of the last run run again');
  } catch {
    console.log('[score] --resume: no earlier run to resume');
  }
}
for (const [i, mutant] of chosen.entries()) {
  const before = earlier.get(mutant.id);
  if (before && before.mutant.original === mutant.original && before.mutant.replacement === mutant.replacement) {
    rows.push(before);
    console.log(`[score] ${i + 1}/${chosen.length} ${mutant.id}: ${before.outcome} (kept from the last run)`);
    continue;
  }
  const name = mutant.id.replace(/[^A-Za-z0-9.-]+/g, '_');
  console.log(
    `\n[score] ${i + 1}/${chosen.length} ${mutant.id}: ${JSON.stringify(mutant.original)} → ${JSON.stringify(mutant.replacement)}`,
  );
  const t0 = Date.now();
  let outcome: Outcome;
  let by: string[];
  let tests: number | undefined;
  try {
    const file = await buildVariant(
      join(outDir, `${name}.js`),
      {
        file: mutant.file,
        apply: (source) => source.slice(0, mutant.start) + mutant.replacement + source.slice(mutant.end),
      },
      sources,
    );
    const chosenTests = testsFor(mutant);
    const inFirst = (place: string) => FIRST_SPECS.some((spec) => place.startsWith(`${spec}:`));
    const groups = chosenTests
      ? [chosenTests.filter(inFirst), chosenTests.filter((t) => !inFirst(t))].filter((g) => g.length)
      : [FIRST_SPECS, REST_SPECS];
    if (chosenTests) {
      tests = chosenTests.length;
      console.log(`[score] ${tests} tests run the changed statement`);
    }
    let result: SuiteResult = { failedClauses: [], passed: 0, ok: true, timedOut: false };
    for (const group of groups) {
      if (!result.ok) break;
      result = run(name, file, group, boundMs - (Date.now() - t0));
    }
    by = result.failedClauses;
    outcome =
      chosenTests?.length === 0
        ? 'no coverage'
        : by.length
          ? 'killed'
          : result.timedOut
            ? 'timeout'
            : result.ok
              ? 'survived'
              : 'not tested';
    if (outcome === 'killed') {
      // A kill counts only if the same clauses pass on the reference now: a flaky failure is no kill.
      const control = runSuite(referenceFile, {
        clauses: by,
        reportDir: join(reportDir, 'runs', `${name}-control`),
        outputDir: join(outDir, 'results', `${name}-control`),
        timeoutMs: boundMs,
      });
      if (!control.ok) {
        outcome = 'not tested';
        by = [`${by.join(', ')} also failed on the reference build: a flaky failure, not a kill`];
      }
    }
  } catch (err) {
    outcome = 'invalid';
    by = [(err as Error).message.split('\n')[0]!];
  }
  const seconds = Math.round((Date.now() - t0) / 1000);
  rows.push({ mutant, outcome, by, seconds, tests });
  console.log(`[score] ${mutant.id}: ${outcome}${by.length ? ` (${by.join(', ')})` : ''} in ${seconds} s`);
  // Written after every mutant: a long run stopped early still leaves its results.
  writeReport(seed, chosen.length, every.length);
}
console.log(`\n${writeReport(seed, chosen.length, every.length).join('\n')}`);

/** The verdict on a mutant, if one was written for this very change. */
function verdictFor(mutant: Mutant): Verdict | undefined {
  const v = verdicts[mutant.id];
  return v && (v.original === undefined || v.original === mutant.original) ? v : undefined;
}

/** Writes summary.md and summary.json for a sample of `drawn` mutants (seed `seed`) of `ofCount`. */
function writeReport(seed: number, drawn: number, ofCount: number): string[] {
  const equivalent = rows.filter((r) => NOT_KILLED.includes(r.outcome) && verdictFor(r.mutant)?.equivalent);
  const counted = rows.filter((r) => [...NOT_KILLED, 'killed', 'timeout'].includes(r.outcome) && !equivalent.includes(r));
  const killed = counted.filter((r) => !NOT_KILLED.includes(r.outcome));
  const score = counted.length ? (100 * killed.length) / counted.length : 0;
  const count = (o: Outcome) => rows.filter((r) => r.outcome === o).length;
  const lines = [
    `# Mutation score`,
    '',
    `${new Date().toISOString().slice(0, 10)}: \`npm run test:mutation-score -- --sample ${drawn} --seed ${seed}\`, ${rows.length} run of the ${drawn} drawn from ${ofCount} mutants of ${SOURCE_DIR}, ${Math.round(rows.reduce((sum, r) => sum + r.seconds, 0) / 60)} min of runs.`,
    '',
    `**Score: ${score.toFixed(1)}%** (${killed.length} killed of ${counted.length} non-equivalent; ${count('killed')} killed by a clause, ${count('timeout')} timed out, ${count('survived')} survived and ${count('no coverage')} run by no test, of which ${equivalent.length} equivalent, ${count('invalid')} did not build, ${count('not tested')} not tested).`,
    '',
    '| mutant | change | tests run | outcome | clauses / reason |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const v = verdictFor(r.mutant);
      const outcome = NOT_KILLED.includes(r.outcome) && v?.equivalent ? 'equivalent' : r.outcome;
      const why = NOT_KILLED.includes(r.outcome)
        ? (v?.equivalent ?? v?.note ?? (r.outcome === 'no coverage' ? '**no test runs this statement**' : '**no clause caught it**'))
        : r.by.join(', ');
      const change = `\`${r.mutant.original.replace(/\s+/g, ' ').slice(0, 50)}\` → \`${r.mutant.replacement}\``.replaceAll('|', '\\|');
      return `| ${r.mutant.id} | ${change} | ${r.tests ?? 'all'} | ${outcome} | ${why.replaceAll('|', '\\|')} |`;
    }),
  ];
  writeFileSync(join(reportDir, 'summary.md'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(reportDir, 'summary.json'),
    JSON.stringify({ seed, sample: drawn, of: ofCount, score, rows, coverage: coverageKey } satisfies Summary, null, 2),
  );
  return lines;
}
