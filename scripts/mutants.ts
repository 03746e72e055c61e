/**
 * `npm run test:mutants`: proof that the gate gates. Builds deliberately broken variants of
 * the reference widget, each bringing back one bug that users of chat widgets have hit
 * (docs/CONTRACT.md, ../peers), runs the suite against each through CV_WIDGET exactly as a
 * widget author would, and prints which clauses caught it. The unbroken reference build is
 * run first, as the control: it must pass. Exits non-zero if the reference fails or any
 * mutant survives.
 *
 *   npm run test:mutants                      every mutant, against the clauses written to catch it
 *                                             (and against every spec, to its first failure, if they miss it)
 *   npm run test:mutants -- --all             every spec against every mutant: every clause that catches it
 *   npm run test:mutants -- reset-noop xss    only these mutants
 *   npm run test:mutants -- --list            the mutants and the bug each brings back
 *   npm run test:mutants -- --check           builds every variant without running it (are the anchors still in widget/src?)
 *   npm run test:mutants -- --skip-reference  leave out the control run (while developing)
 *
 * Reports: reports/mutants/<name>/conformance.{md,json}, and reports/mutants/summary.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildVariant, root, runSuite } from './widget-variants.js';

interface Mutant {
  name: string;
  bug: string;
  /** The clauses written to catch this bug: their specs run first, and alone if they catch it. */
  caughtBy: string[];
  /** The widget source file to change, from the repository root. */
  file: string;
  find: string;
  replace: string;
}

export const MUTANTS: Mutant[] = [
  {
    name: 'reset-noop',
    caughtBy: ['C3.1', 'C3.2'],
    bug: 'CV.user.reset() does nothing: the previous user stays on screen and on the server',
    file: 'widget/src/controller.ts',
    find: '  reset(): Promise<void> {\n',
    replace: '  reset(): Promise<void> {\n    if (Date.now() > 0) return Promise.resolve();\n',
  },
  {
    name: 'session-id-in-localstorage',
    caughtBy: ['C1.4'],
    bug: 'in session mode the visitor id is kept in localStorage, so it outlives the tab',
    file: 'widget/src/identity-store.ts',
    find: "this.storage = mode === 'session' ? session : local;",
    replace: 'this.storage = local;',
  },
  {
    name: 'reset-keeps-id',
    caughtBy: ['C3.2'],
    bug: 'reset empties the panel but keeps the old visitor id and token',
    file: 'widget/src/controller.ts',
    find: 'if (this.pristine && this.creds && (await this.untouched(this.creds))) {',
    replace: 'if (this.creds) {',
  },
  {
    name: 'token-not-revoked',
    caughtBy: ['C3.2'],
    bug: 'reset forgets the visitor in the browser but never revokes it on the server: the old token still reads the history',
    file: 'widget/src/controller.ts',
    find: 'if (old) await this.revoke(old);',
    replace: 'if (old) await Promise.resolve(old);',
  },
  {
    name: 'tag-loads-no-history',
    caughtBy: ['C2.1', 'C2.4'],
    bug: 'tag attaches the customer but shows none of the history',
    file: 'widget/src/controller.ts',
    find: 'this.show(session);\n      if (identified)',
    replace: 'this.show({ ...session, messages: [] });\n      if (identified)',
  },
  {
    name: 'switch-without-reset',
    caughtBy: ['C5.1'],
    bug: "tag for a second user while one is tagged does not reset first: the first user's history stays on screen",
    file: 'widget/src/controller.ts',
    find: "if (switching) {\n        // Another customer at the same screen: what the first one typed and did not send goes too.\n        this.view.forgetDraft();\n        if (switchShared) this.tabs.post({ type: 'reset-started' });\n        await this.startOver();\n      }",
    replace: '',
  },
  {
    name: 'resumed-history-flash',
    caughtBy: ['C5.2'],
    bug: "the stored customer's history is shown as the page loads, before the page's tag for another user switches it",
    file: 'widget/src/controller.ts',
    find: '      const resumed = await this.ensureVisitor();\n',
    replace: '      const resumed = await this.ensureVisitor();\n      if (resumed) this.view.showSession(resumed);\n',
  },
  {
    name: 'html-rendering',
    caughtBy: ['C6.3'],
    bug: 'message text is rendered as HTML',
    file: 'widget/src/view.ts',
    find: "dir: 'auto' }, message.text);",
    replace: "dir: 'auto' });\n    item.innerHTML = message.text;",
  },
  {
    name: 'assigned-user-ignored',
    caughtBy: ['C4.1'],
    bug: 'assignedUser is dropped before it reaches the vendor',
    file: 'widget/src/controller.ts',
    find: 'session = await this.client.tag(this.creds!, user);',
    replace: 'session = await this.client.tag(this.creds!, { ...user, assignedUser: undefined });',
  },
  {
    name: 'queued-calls-dropped',
    caughtBy: ['C8.1'],
    bug: 'calls made before the script arrived are dropped',
    file: 'widget/src/main.ts',
    find: "const queued = (existing && 'q' in existing && Array.isArray(existing.q) ? existing.q : []) as Queued[];",
    replace: 'const queued = [] as Queued[];',
  },
  {
    name: 'cvloaded-twice',
    caughtBy: ['C8.2'],
    bug: 'the CVLoaded hook runs twice',
    file: 'widget/src/main.ts',
    find: '      hook();\n',
    replace: '      hook();\n      hook();\n',
  },
  {
    name: 'bfcache-history',
    caughtBy: ['C11.1'],
    bug: "a page restored from the back/forward cache shows the previous user's history",
    file: 'widget/src/controller.ts',
    find: '    this.epoch += 1;\n    this.view.clear();\n    this.closeStream();\n    this.tabs.close();',
    replace: '    this.epoch += 1;\n    this.closeStream();\n    this.tabs.close();',
  },
  {
    name: 'no-multi-tab-logout',
    caughtBy: ['C10.1', 'C10.2'],
    bug: 'a logout in one tab leaves the other open tabs showing the previous user',
    file: 'widget/src/tab-sync.ts',
    find: 'this.channel?.postMessage(message);',
    replace: 'void message;',
  },
  {
    name: 'keys-not-namespaced',
    caughtBy: ['C17.1'],
    bug: 'the storage key is not namespaced per workspace: two workspaces on one origin share a visitor',
    file: 'widget/src/identity-store.ts',
    find: 'this.key = `cv:${workspaceId}:visitor`;',
    replace: "this.key = 'cv:visitor';",
  },
  {
    name: 'mode-switch-keeps-local-id',
    caughtBy: ['C12.1'],
    bug: 'after a switch from local to session ids the long-lived id stays in localStorage',
    file: 'widget/src/identity-store.ts',
    find: 'other?.removeItem(this.key);',
    replace: 'void other;',
  },
  {
    name: 'reset-adds-history-entry',
    caughtBy: ['C13.5'],
    bug: 'reset adds an entry to the browser history',
    file: 'widget/src/controller.ts',
    find: '    this.resets += 1;\n    this.identityCalls += 1;\n    this.epoch += 1;\n',
    replace: "    history.pushState(null, '', location.href);\n    this.resets += 1;\n    this.identityCalls += 1;\n    this.epoch += 1;\n",
  },
  {
    name: 'superseded-tag-by-tag-shown',
    caughtBy: ['C13.3'],
    bug: "two tags in one tick: the first customer's history flashes on screen before the second tag replaces it",
    file: 'widget/src/controller.ts',
    find: 'if (this.identityCalls !== callAt) return;',
    replace: '',
  },
  {
    name: 'reset-swallows-failure',
    caughtBy: ['C3.6'],
    bug: 'reset() resolves although the revocation request failed: the site logs out believing the visitor revoked',
    file: 'widget/src/controller.ts',
    find: 'await this.client.reset(creds).catch((err: unknown) => {\n      if (!isRevoked(err)) throw err;\n    });',
    replace: 'await this.client.reset(creds).catch(() => undefined);',
  },
  {
    name: 'stream-gives-up-on-outage',
    caughtBy: ['C16.6'],
    bug: 'a reconnection whose ticket request fails in the network or with a 5xx is never tried again: no reply arrives until a reload',
    file: 'widget/src/event-stream.ts',
    find: 'err instanceof CVError && err.status !== undefined && err.status < 500',
    replace: 'err instanceof CVError',
  },
  {
    name: 'proof-dropped',
    caughtBy: ['C18.1'],
    bug: "tag leaves out the site's identity proof (userHash, externalToken), so a workspace that requires it never shows the history",
    file: 'widget/src/controller.ts',
    find: 'session = await this.client.tag(this.creds!, user);',
    replace: 'session = await this.client.tag(this.creds!, { ...user, userHash: undefined, externalToken: undefined });',
  },
  {
    name: 'agent-name-as-html',
    caughtBy: ['C19.1'],
    bug: "the assigned agent's name is rendered as HTML",
    file: 'widget/src/view.ts',
    find: "this.agent.textContent = agent ? agent.name : '';",
    replace: "this.agent.innerHTML = agent ? agent.name : '';",
  },
  {
    name: 'no-bidi-isolation',
    caughtBy: ['C19.1'],
    bug: 'a right-to-left override in a message or an agent name can reorder the text around it',
    file: 'widget/src/view.ts',
    find: 'li, .agent { unicode-bidi: isolate; }',
    replace: 'li, .agent { unicode-bidi: normal; }',
  },
  {
    name: 'inline-style',
    caughtBy: ['C20.1'],
    bug: 'the widget sets an inline style attribute, which a strict Content-Security-Policy blocks',
    file: 'widget/src/view.ts',
    find: 'root.append(this.launcher, this.panel);',
    replace: "root.append(this.launcher, this.panel);\n    this.host.setAttribute('style', 'position: relative');",
  },
  {
    name: 'stream-no-catch-up',
    caughtBy: ['C16.3'],
    bug: 'the widget does not fetch what was posted while its event stream was connecting or down: a reply sent in that gap never appears',
    file: 'widget/src/event-stream.ts',
    find: "source.addEventListener('open', () => {",
    replace: "source.addEventListener('never-fired', () => {",
  },
  {
    name: 'stream-reconnects-with-spent-ticket',
    caughtBy: ['C16.4'],
    bug: 'when its event stream drops, the widget leaves reconnecting to EventSource, which presents the spent ticket again: refused, and no reply arrives until a reload',
    file: 'widget/src/event-stream.ts',
    find: "source.addEventListener('error', () => {\n          source.close();\n",
    replace: "source.addEventListener('error', () => {\n          if (Date.now() > 0) return;\n",
  },
  {
    name: 'token-in-url',
    caughtBy: ['C16.5'],
    bug: "the widget puts the visitor's token in the event stream's URL, where proxies and servers log it",
    file: 'widget/src/client.ts',
    find: '/events?ticket=${encodeURIComponent(ticket)}`',
    replace: '/events?ticket=${encodeURIComponent(ticket)}&token=${encodeURIComponent(creds.token)}`',
  },
  {
    name: 'low-contrast-error',
    caughtBy: ['C25.8'],
    bug: 'the error the widget shows is pale pink on pink (contrast 1.6:1): people with low vision cannot read that their message was not sent',
    file: 'widget/src/view.ts',
    find: 'background: #fde8e8; color: #8a1c1c;',
    replace: 'background: #fde8e8; color: #f0a8a8;',
  },
];

const outDir = join(root, '.mutants');
const reportDir = join(root, 'reports/mutants');

/** The widget with the mutant's text replaced; the text must occur exactly once. */
function variant(name: string, mutant?: Mutant): Promise<string> {
  const change = mutant && {
    file: mutant.file,
    apply(source: string): string {
      const at = source.indexOf(mutant.find);
      if (at < 0 || source.indexOf(mutant.find, at + 1) >= 0) {
        throw new Error(`mutant ${mutant.name}: its text must occur exactly once in ${mutant.file}; the widget source changed`);
      }
      return source.slice(0, at) + mutant.replace + source.slice(at + mutant.find.length);
    },
  };
  return buildVariant(join(outDir, `${name}.js`), change);
}

function runAgainst(name: string, widgetFile: string, options: { stopAtFirstFailure?: boolean; clauses?: string[] } = {}) {
  return runSuite(widgetFile, { ...options, reportDir: join(reportDir, name), outputDir: `test-results/mutants/${name}` });
}

const { values, positionals } = parseArgs({
  options: {
    all: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'skip-reference': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

if (values.list) {
  for (const m of MUTANTS) console.log(`${m.name.padEnd(28)} ${m.bug}`);
  process.exit(0);
}
const unknown = positionals.filter((p) => !MUTANTS.some((m) => m.name === p));
if (unknown.length) {
  console.error(`unknown mutant(s): ${unknown.join(', ')}; see npm run test:mutants -- --list`);
  process.exit(2);
}
const chosen = positionals.length ? MUTANTS.filter((m) => positionals.includes(m.name)) : MUTANTS;
if (values.check) {
  // Builds every variant without running it: after a change to widget/src, every anchor must still hold.
  for (const mutant of chosen) await variant(mutant.name, mutant);
  console.log(`[mutants] all ${chosen.length} variants build: every anchor occurs exactly once`);
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
mkdirSync(reportDir, { recursive: true });
const rows: string[] = [];
let gateHolds = true;

if (values['skip-reference']) {
  rows.push('| reference | the unbroken widget | not run (--skip-reference) |');
} else {
  console.log('\n[mutants] reference build (the control: every clause must pass)');
  const reference = runAgainst('reference', await variant('reference'));
  if (!reference.ok || reference.failedClauses.length) {
    gateHolds = false;
    rows.push(`| reference | the unbroken widget | **FAILED: ${reference.failedClauses.join(', ') || 'the run failed'}** |`);
  } else {
    rows.push(`| reference | the unbroken widget | passes (${reference.passed} clauses) |`);
  }
}

for (const mutant of chosen) {
  console.log(`\n[mutants] ${mutant.name}: ${mutant.bug}`);
  const file = await variant(mutant.name, mutant);
  // The clauses meant to catch it first; then, in --all mode or if they miss it, the whole suite.
  let result = values.all ? undefined : runAgainst(mutant.name, file, { clauses: mutant.caughtBy });
  let how = 'its own clauses';
  if (!result?.failedClauses.length) {
    if (result) console.log(`[mutants] ${mutant.name}: not caught by ${mutant.caughtBy.join(', ')}; running every spec`);
    result = runAgainst(mutant.name, file, { stopAtFirstFailure: !values.all });
    how = values.all ? 'every spec' : `the first failure of every spec; ${mutant.caughtBy.join(', ')} missed it`;
  }
  const caught = result.failedClauses.length > 0;
  if (!caught) gateHolds = false;
  // A run that failed with no clause failing never tested the variant (a port in use, a crash):
  // that is not a survivor, and saying so would send the reader after the wrong problem.
  const by = caught
    ? `caught by ${result.failedClauses.join(', ')} (${how})`
    : result.ok
      ? '**SURVIVED**'
      : '**NOT TESTED: the run failed before any clause did (see its output above)**';
  rows.push(`| ${mutant.name} | ${mutant.bug} | ${by} |`);
  console.log(`[mutants] ${mutant.name}: ${caught || !result.ok ? by.replaceAll('*', '') : 'SURVIVED: no clause caught it'}`);
}

const table = ['| variant | bug brought back | result |', '|---|---|---|', ...rows].join('\n');
writeFileSync(join(reportDir, 'summary.md'), `# Mutants\n\n${table}\n`);
const verdict = gateHolds
  ? `The gate holds: ${values['skip-reference'] ? '' : 'the reference passes and '}every mutant is caught.`
  : 'The gate does NOT hold (see above).';
console.log(`\n${table}\n\n${verdict}`);
process.exit(gateHolds ? 0 : 1);
