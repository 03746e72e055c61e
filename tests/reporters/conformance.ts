/**
 * The conformance report: for the widget under test, every clause of docs/CONTRACT.md with
 * its level and its outcome, as JSON and as Markdown, in the manner of test262 and
 * web-platform-tests result tables.
 *
 * A clause's tests are the tests whose title carries its id (`[C3.2] …`). Its outcome:
 *   failed          any of its tests failed (or timed out)
 *   passed          every test of it that ran passed
 *   not applicable  its tests were skipped as not applicable (an optional feature the widget
 *                   does not declare in CV.features)
 *   not run         none of its tests ran in this run (a filtered run, for instance)
 *
 * Each test also names the browser build that ran it (its `browser` annotation, set by
 * tests/support/browser-build.ts): a clause's row lists the builds of its tests.
 *
 * Options: { outputDir } (default reports/conformance; CONFORMANCE_DIR overrides it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REFERENCE_WIDGET } from '../support/env.js';
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';

export type Outcome = 'passed' | 'failed' | 'not applicable' | 'not run';

interface Clause {
  id: string;
  level: string;
  text: string;
}

export interface ClauseResult extends Clause {
  outcome: Outcome;
  tests: { title: string; file: string; line: number; outcome: Outcome; reason?: string; browser?: string }[];
}

/** reports/conformance/conformance.json, as scripts read it back. */
export interface ConformanceReport {
  widget: string;
  /** The site the clauses ran on (SITE), as playwright.config.ts describes it. */
  site?: string;
  generatedAt: string;
  summary: { passed: number; failed: number; notApplicable: number; notRun: number; requiredFailed: string[]; unknownClauseIds: string[] };
  clauses: ClauseResult[];
}

const CLAUSE_ID = /\[((?:C|H)\d+\.\d+)\]/;

/** The clause rows of docs/CONTRACT.md: `| C1.2 | required | text |`. */
export function readClauses(contractFile: string): Clause[] {
  const rows = readFileSync(contractFile, 'utf8').matchAll(/^\| ((?:C|H)\d+\.\d+) \| (required[^|]*|optional[^|]*) \| (.*) \|$/gm);
  return [...rows].map(([, id, level, text]) => ({ id: id!, level: level!.trim(), text: text!.trim() }));
}

/** The test's annotation of this type, declared or added while it ran. */
function annotation(test: TestCase, results: TestResult[], type: string) {
  return [...test.annotations, ...results.flatMap((r) => r.annotations)].find((a) => a.type === type);
}

/** Why a test was not applicable, as its annotation says. */
function notApplicableReason(test: TestCase, results: TestResult[]): string | undefined {
  return annotation(test, results, 'not-applicable')?.description;
}

/** The browser build that ran the test (none for a test that ran no browser). */
function browserOf(test: TestCase, results: TestResult[]): string | undefined {
  return annotation(test, results, 'browser')?.description;
}

function outcomeOf(test: TestCase, results: TestResult[]): Outcome {
  if (results.some((r) => r.status === 'failed' || r.status === 'timedOut')) return 'failed';
  // Interrupted (the run stopped early, as with --max-failures): it proved nothing either way.
  if (results.length === 0 || results.every((r) => r.status === 'interrupted')) return 'not run';
  if (results.every((r) => r.status === 'skipped')) {
    return annotation(test, results, 'not-applicable') ? 'not applicable' : 'not run';
  }
  return 'passed';
}

function combine(outcomes: Outcome[]): Outcome {
  if (outcomes.includes('failed')) return 'failed';
  if (outcomes.includes('passed')) return 'passed';
  if (outcomes.length > 0 && outcomes.every((o) => o === 'not applicable')) return 'not applicable';
  return 'not run';
}

export default class ConformanceReporter implements Reporter {
  private readonly outputDir: string;
  private rootDir = process.cwd();
  private suite: Suite | undefined;
  private readonly results = new Map<TestCase, TestResult[]>();
  private widget = process.env.CV_WIDGET || REFERENCE_WIDGET;
  private site: string | undefined;

  constructor(options: { outputDir?: string } = {}) {
    this.outputDir = process.env.CONFORMANCE_DIR ?? options.outputDir ?? 'reports/conformance';
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.rootDir = config.configFile ? dirname(config.configFile) : process.cwd();
    this.suite = suite;
    // Set by playwright.config.ts, and carried in the blob reports to a merge on another machine.
    const { widget, site } = config.metadata as { widget?: unknown; site?: unknown };
    if (typeof widget === 'string') this.widget = widget;
    if (typeof site === 'string') this.site = site;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.results.set(test, [...(this.results.get(test) ?? []), result]);
  }

  onEnd(): void {
    const clauses = readClauses(join(this.rootDir, 'docs/CONTRACT.md'));
    const known = new Set(clauses.map((c) => c.id));
    const tests = this.suite?.allTests() ?? [];
    const byClause = new Map<string, ClauseResult['tests']>();
    const unknown: string[] = [];
    for (const test of tests) {
      const id = CLAUSE_ID.exec(test.title)?.[1];
      if (!id) continue;
      if (!known.has(id)) unknown.push(`${id} (${test.title})`);
      const entry = {
        title: test.title,
        file: test.location.file.replace(`${this.rootDir}/`, ''),
        line: test.location.line,
        outcome: outcomeOf(test, this.results.get(test) ?? []),
        reason: notApplicableReason(test, this.results.get(test) ?? []),
        browser: browserOf(test, this.results.get(test) ?? []),
      };
      byClause.set(id, [...(byClause.get(id) ?? []), entry]);
    }
    const rows: ClauseResult[] = clauses.map((c) => {
      const own = byClause.get(c.id) ?? [];
      return { ...c, outcome: combine(own.map((t) => t.outcome)), tests: own };
    });
    const count = (o: Outcome) => rows.filter((r) => r.outcome === o).length;
    const summary = {
      passed: count('passed'),
      failed: count('failed'),
      notApplicable: count('not applicable'),
      notRun: count('not run'),
      requiredFailed: rows.filter((r) => r.level.startsWith('required') && r.outcome === 'failed').map((r) => r.id),
      unknownClauseIds: unknown,
    };
    const widget = this.widget;
    const site = this.site;

    mkdirSync(this.outputDir, { recursive: true });
    writeFileSync(
      join(this.outputDir, 'conformance.json'),
      JSON.stringify({ widget, site, generatedAt: new Date().toISOString(), summary, clauses: rows } satisfies ConformanceReport, null, 2),
    );
    const mark: Record<Outcome, string> = {
      passed: 'passed',
      failed: '**FAILED**',
      'not applicable': 'not applicable',
      'not run': 'not run',
    };
    const md = [
      `# Conformance of ${widget}`,
      '',
      ...(site ? [`On the site ${site}.`, ''] : []),
      `${summary.passed} passed, ${summary.failed} failed, ${summary.notApplicable} not applicable, ${summary.notRun} not run; ` +
        `clauses from docs/CONTRACT.md, ${new Date().toISOString()}.`,
      ...(unknown.length ? ['', `Tests naming clauses the contract does not have: ${unknown.join(', ')}`] : []),
      '',
      '| clause | level | outcome | clause text | tests | browser |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.id} | ${r.level} | ${mark[r.outcome]} | ${r.text.replace(/\|/g, '\\|')} | ${r.tests.map((t) => `${t.file}:${t.line}${t.reason ? ` (${t.reason.replace(/\|/g, '\\|')})` : ''}`).join('<br>')} | ${[...new Set(r.tests.map((t) => t.browser ?? 'none'))].join('<br>')} |`,
      ),
      '',
    ].join('\n');
    writeFileSync(join(this.outputDir, 'conformance.md'), md);
    console.log(
      `\nConformance: ${summary.passed} clauses passed, ${summary.failed} failed, ${summary.notApplicable} not applicable, ${summary.notRun} not run` +
        `${summary.requiredFailed.length ? ` (required clauses failed: ${summary.requiredFailed.join(', ')})` : ''}. Report: ${join(this.outputDir, 'conformance.md')}`,
    );
    if (unknown.length) console.log(`Conformance: tests name clauses docs/CONTRACT.md does not have: ${unknown.join(', ')}`);
  }
}
