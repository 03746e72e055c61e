/**
 * Per-test coverage of the widget's sources, for `npm run test:mutation-score`: which tests run
 * the code a mutant changes, so that a mutant is run only against them (StrykerJS calls this
 * "perTest" coverage analysis). A probe goes before every statement of widget/src; the
 * instrumented build reports each probe once per page through a binding the suite's fixtures
 * expose (tests/support/widget-coverage.ts), and each test's probes are written to a folder.
 *
 * A probe is the statement that holds a piece of code: a mutant inside an `if` condition counts
 * as run when its `if` statement runs, whichever branch is then taken. Coverage can so say too
 * much (a test that runs the statement but not the mutated sub-expression). It says too little
 * only of what a page runs as it is closed or frozen for good: its last report reaches no one.
 * (A page frozen into the back/forward cache and restored reports everything again.) Timing
 * can also take a test down another path in another run: a mutant's survival under coverage is
 * worth a look, its kill is certain.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One statement of a source file, by its place in that file. */
export interface Probe {
  /** `<file>#<start>`, as the instrumented build reports it. */
  id: string;
  file: string;
  start: number;
  end: number;
}

/** What the suite writes for each test it ran with an instrumented build. */
export interface TestCoverage {
  /** The test's place, as `npx playwright test <file>:<line>` selects it. */
  location: string;
  title: string;
  probes: string[];
}

/** The name the instrumented build calls; the fixtures expose `__cvCoverage` to receive its batches. */
const PROBE = '__cvProbe';

/**
 * Runs before the bundle: `__cvProbe(id)` reports an id the first time this page runs it, in one
 * batch per microtask (before the page can unload), to the binding the test exposed. What a page
 * runs as it goes into the back/forward cache reaches no one (Playwright drops a binding call
 * from a page being frozen), so a page restored from that cache reports everything it ran again.
 */
export const PROBE_RUNTIME = `(()=>{const seen=new Set();let batch=[];const flush=()=>{const ids=batch;batch=[];const report=globalThis.__cvCoverage;if(typeof report==='function'){try{Promise.resolve(report(ids)).catch(()=>{})}catch{}}};const queue=(id)=>{batch.push(id);if(batch.length===1)queueMicrotask(flush)};globalThis.${PROBE}=(id)=>{if(seen.has(id))return;seen.add(id);queue(id)};addEventListener('pageshow',(e)=>{if(e.persisted)for(const id of seen)queue(id)});})();`;

function isProbed(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) return false;
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement)) return false;
  // An overload signature: a probe between it and its implementation would not parse.
  if (ts.isFunctionDeclaration(statement) && !statement.body) return false;
  return !(ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
}

/** Every statement of a file that gets a probe, in source order. */
export function probesOf(file: string, text: string): Probe[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const probes: Probe[] = [];
  const visit = (node: ts.Node): void => {
    const list =
      ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)
        ? node.statements
        : undefined;
    for (const statement of list ?? []) {
      if (!isProbed(statement)) continue;
      const start = statement.getStart(source);
      probes.push({ id: `${file}#${start}`, file, start, end: statement.getEnd() });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return probes.sort((a, b) => a.start - b.start);
}

/** The file with a probe call before every probed statement. */
export function instrument(file: string, text: string): string {
  let out = '';
  let at = 0;
  for (const probe of probesOf(file, text)) {
    out += `${text.slice(at, probe.start)}${PROBE}(${JSON.stringify(probe.id)});`;
    at = probe.start;
  }
  return out + text.slice(at);
}

/** The probes of every widget source file under `sourceRoot`, by file. */
export function allProbes(sourceRoot: string, dir: string): Map<string, Probe[]> {
  const byFile = new Map<string, Probe[]>();
  for (const name of readdirSync(join(sourceRoot, dir)).filter((f) => f.endsWith('.ts'))) {
    const file = `${dir}/${name}`;
    byFile.set(file, probesOf(file, readFileSync(join(sourceRoot, file), 'utf8')));
  }
  return byFile;
}

/**
 * The probe whose running a change of [start, end) needs in order to matter: the innermost
 * statement that holds it; for an emptied function body (`body`), the body's first statement,
 * which runs only when the function does. Undefined when no probed statement holds it: then
 * every test counts as running it.
 */
export function probeFor(probes: Probe[], start: number, end: number, body = false): Probe | undefined {
  if (body) {
    const first = probes.find((p) => p.start >= start && p.end <= end);
    if (first) return first;
  }
  return probes.filter((p) => p.start <= start && p.end >= end).at(-1);
}
