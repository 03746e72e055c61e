/**
 * Broken builds of the reference widget, and the suite run against one: shared by
 * `npm run test:mutants` (hand-written mutants) and `npm run test:mutation-score` (generated
 * ones). A variant is the widget bundled with one source file changed; the suite tests it
 * through CV_WIDGET exactly as a widget author's build is tested.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { widgetBuildOptions } from '../widget/build.js';
import { instrument, PROBE_RUNTIME } from './coverage-probes.js';
import type { ConformanceReport } from '../tests/reporters/conformance.js';
import { MOCK_PORT, SITE_PORT } from '../tests/support/env.js';

export const root = resolve(import.meta.dirname, '..');

/** One widget source file, changed. */
export interface SourceChange {
  /** From the repository root. */
  file: string;
  apply(source: string): string;
}

/**
 * A copy of the widget's sources (and the protocol they import) as they are now, under `dir`:
 * a long run builds its variants from it, so that editing widget/src meanwhile changes nothing.
 */
export function snapshotSources(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'widget/src'), join(dir, 'widget/src'), { recursive: true });
  cpSync(join(root, 'protocol'), join(dir, 'protocol'), { recursive: true });
  return dir;
}

/** Bundles the widget with one source change applied (none for the reference) into `outFile`,
 * from the repository's sources or from a snapshot of them. */
export async function buildVariant(outFile: string, change?: SourceChange, sourceRoot = root): Promise<string> {
  const plugins: Plugin[] = [];
  if (change) {
    const target = join(sourceRoot, change.file);
    plugins.push({
      name: 'mutate',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, (args) => {
          if (args.path !== target) return undefined;
          return { contents: change.apply(readFileSync(target, 'utf8')), loader: 'ts' };
        });
      },
    });
  }
  await build({ ...widgetBuildOptions(sourceRoot), outfile: outFile, plugins });
  return outFile;
}

/**
 * Bundles the widget with a coverage probe before every statement of widget/src (see
 * coverage-probes.ts): the same code as the reference, which reports what each test runs.
 */
export async function buildInstrumented(outFile: string, sourceRoot = root): Promise<string> {
  const dir = join(sourceRoot, 'widget/src/');
  await build({
    ...widgetBuildOptions(sourceRoot),
    outfile: outFile,
    banner: { js: PROBE_RUNTIME },
    plugins: [
      {
        name: 'coverage-probes',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            if (!args.path.startsWith(dir)) return undefined;
            const file = `widget/src/${args.path.slice(dir.length)}`;
            return { contents: instrument(file, readFileSync(args.path, 'utf8')), loader: 'ts' };
          });
        },
      },
    ],
  });
  return outFile;
}

export interface SuiteResult {
  failedClauses: string[];
  passed: number;
  /** The run exited 0. */
  ok: boolean;
  /** The run was stopped at its time bound. */
  timedOut: boolean;
}

export interface SuiteOptions {
  /** Where the run's conformance report goes (emptied first). */
  reportDir: string;
  stopAtFirstFailure?: boolean;
  /** Only the tests of these clauses. */
  clauses?: string[];
  /** Spec files or folders; the widget contract specs (not the harness's own) by default. */
  specs?: string[];
  /** Stop the run after this long. */
  timeoutMs?: number;
  /** Where Playwright keeps traces of failures. */
  outputDir: string;
  /** With an instrumented build: where each test's coverage goes (tests/support/widget-coverage.ts). */
  coverageDir?: string;
}

/**
 * Playwright starts the suite's servers in process groups of their own, and stops them when it
 * ends; a run stopped at its time bound may leave them behind, holding the suite's ports so that
 * every later run fails to start. They are found by their command line and stopped.
 */
function stopLeftoverServers(): void {
  for (const server of [`mock-server/src/main.ts --port ${MOCK_PORT}`, `fixture-site/src/main.ts --port ${SITE_PORT}`]) {
    spawnSync('pkill', ['-f', server]);
  }
}

/** The specs that hold a widget to the contract: the fixture site's and the site-level ones (not the harness's own). */
export const WIDGET_SPECS = ['tests/specs', 'tests/sites'];

/** Runs specs against a build; a run that fails with no clause failing tested nothing. */
export function runSuite(widgetFile: string, options: SuiteOptions): SuiteResult {
  rmSync(options.reportDir, { recursive: true, force: true });
  const args = [
    'playwright',
    'test',
    ...(options.specs ?? WIDGET_SPECS),
    '--reporter=dot,./tests/reporters/conformance.ts',
    `--output=${options.outputDir}`,
    // No traces: a trace is zipped at every context close, which costs every run, and under load
    // that zipping itself failed the reference twice in a lifecycle-model test (yazl: "file data
    // stream has unexpected number of bytes" from context.close()): a harness failure read as the
    // widget's. A failing variant's clauses, screenshots and conformance report say what broke.
    '--trace=off',
  ];
  if (options.stopAtFirstFailure) args.push('--max-failures=1');
  if (options.clauses) args.push(`--grep=\\[(${options.clauses.map((id) => id.replace('.', '\\.')).join('|')})\\]`);
  // At the time bound, coreutils' timeout signals the run's whole process group (Playwright, its
  // workers, browsers and servers), not only npx: a run left behind would hold the suite's ports
  // and fail every run after it.
  const command: [string, string[]] = options.timeoutMs
    ? ['timeout', ['--kill-after=30s', `${Math.max(1, Math.round(options.timeoutMs / 1000))}s`, 'npx', ...args]]
    : ['npx', args];
  const run = spawnSync(command[0], command[1], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      CI: '1',
      CV_WIDGET: widgetFile,
      CONFORMANCE_DIR: options.reportDir,
      ...(options.coverageDir ? { CV_COVERAGE_DIR: options.coverageDir } : {}),
    },
  });
  // 124: timeout stopped it; 137: it had to be killed after the grace period.
  const timedOut = options.timeoutMs !== undefined && (run.status === 124 || run.status === 137);
  if (timedOut) stopLeftoverServers();
  let report: ConformanceReport;
  try {
    report = JSON.parse(readFileSync(join(options.reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
  } catch {
    return { failedClauses: [], passed: 0, ok: false, timedOut };
  }
  return {
    failedClauses: report.clauses.filter((c) => c.outcome === 'failed').map((c) => c.id),
    passed: report.summary.passed,
    ok: run.status === 0,
    timedOut,
  };
}
