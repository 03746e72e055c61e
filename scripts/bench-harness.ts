/**
 * `npm run bench:harness` (and the end of `npm run bench`): what the harness itself costs.
 *
 * (a) Overhead. The seed's clauses C1.1, C1.2, C2.1, C3.1 and C3.2 as the suite runs them
 *     (one worker; each test's duration as Playwright reports it: its fixtures, its own
 *     workspace, its contexts, its assertions) against a bare Playwright script doing the same
 *     browser steps on the same servers: a workspace made and deleted through the control API, a
 *     context, the same clicks and waits, plain locators, no fixtures, no page objects, no
 *     reporter. The two take turns, round by round (A B A B), in one run.
 * (b) Workers. The lifecycle specs of C1 to C3 (session ids, history on login, logout) with 1,
 *     2, 3 and 4 workers: wall time and the CPU the whole machine spent meanwhile (from
 *     /proc/stat, so the machine must be otherwise quiet). Not /usr/bin/time: it counts only
 *     the processes its child waits for, and Chromium's renderer and GPU processes are not
 *     among them (for the 79 tests of issue 17 it counted 0.9 of a core while vmstat showed both
 *     cores 97% busy).
 *
 * (c) Builds. Full Chromium against its headless shell (scripts/browser.ts), taking turns: the
 *     cost of a bare context cycle (new context, new page, a loopback page, an evaluate, close;
 *     median of 8 per round), and the whole suite's wall time and machine CPU with each build
 *     (full Chromium for everything, CHROMIUM_PATH pinned; against the default, the shell where
 *     the suite allows it), with the spec files that took the longest.
 *
 * All start the suite's servers once on ports of their own and run the suite against them, so
 * that every figure is taken on the same servers. Written to reports/bench/harness.json and .md.
 *
 *   npm run bench:harness                 3 rounds of (a), then (b), then (c) with one whole suite per build
 *   npm run bench:harness -- --rounds 5 --skip-workers --suite-rounds 2     (c) as A B A B
 *   npm run bench:harness -- --suite-rounds 0                               (c) without the whole suite
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { SITE_AGENTS } from '../fixture-site/src/users.js';
import { IDENTITY_SECRET } from '../tests/support/env.js';
import { JANE, JOHN } from '../tests/support/people.js';
import { chromiumLaunch, findChromium, findHeadlessShell, type ChromiumChoice } from './browser.js';
import { root } from './widget-variants.js';
import { waitUp } from './wait-up.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'skip-workers': { type: 'boolean', default: false },
    'suite-rounds': { type: 'string', default: '1' },
  },
});
const ROUNDS = Number(values.rounds);
const MOCK_PORT = Number(process.env.BENCH_MOCK_PORT ?? 4960);
const SITE_PORT = Number(process.env.BENCH_SITE_PORT ?? 4961);
const MOCK_URL = `http://127.0.0.1:${MOCK_PORT}`;
const SITE_URL = `http://127.0.0.1:${SITE_PORT}`;
const reportDir = join(root, 'reports/bench');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

// ---------------------------------------------------------------- servers

const servers: ChildProcess[] = [];
async function startServer(command: string, health: string): Promise<void> {
  const child = spawn('bash', ['-c', command], { cwd: root, stdio: 'ignore', detached: true });
  servers.push(child);
  await waitUp(health, 30_000);
}
function stopServers(): void {
  for (const s of servers) {
    try {
      process.kill(-s.pid!, 'SIGTERM');
    } catch {
      /* gone already */
    }
  }
}

// ---------------------------------------------------------------- (a) the bare script

interface Workspace {
  id: string;
  agents: { token: string }[];
}
type Seed = { email: string; firstname: string; lastname: string; messages: { from: 'customer'; text: string }[] }[];

async function createWorkspace(name: string, customers: Seed = []): Promise<Workspace> {
  const res = await fetch(`${MOCK_URL}/__admin/workspaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      settings: { idMode: 'session', anonymousMessages: 'merge', identityVerification: 'off', allowedOrigins: ['*'] },
      identitySecret: IDENTITY_SECRET,
      agents: SITE_AGENTS,
      customers,
    }),
  });
  if (!res.ok) throw new Error(`creating a workspace: ${res.status} ${await res.text()}`);
  return (await res.json()) as Workspace;
}

/** A browser profile on the fixture site, embedding the workspace as the suite's default knobs do. */
async function profile(browser: Browser, ws: Workspace): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: SITE_URL });
  const knobs = { cv_workspace: ws.id, cv_embed: 'proxy', cv_proof: 'jwt', site_cache: 'no-store', site_csp: 'none' };
  await context.addCookies(Object.entries(knobs).map(([name, value]) => ({ name, value, url: SITE_URL })));
  return { context, page: await context.newPage() };
}

const panel = (page: Page) => page.getByRole('dialog', { name: 'Chat' });
const messages = (page: Page) => panel(page).getByRole('list', { name: 'Messages' }).getByRole('listitem');
async function openChat(page: Page): Promise<void> {
  const launcher = page.getByRole('button', { name: 'Chat', exact: true });
  if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
}
async function sendAndWait(page: Page, text: string): Promise<void> {
  await openChat(page);
  await panel(page).getByRole('textbox', { name: 'Message' }).fill(text);
  await panel(page).getByRole('button', { name: 'Send' }).click();
  await messages(page).filter({ hasText: text }).last().waitFor();
}
async function visitorId(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() =>
    (window as { CV?: { user?: { visitorId?: () => string | null } } }).CV?.user?.visitorId?.(),
  );
  return (await handle.jsonValue()) as string;
}
async function login(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/account');
}

const JANE_SEED: Seed = [
  { email: JANE, firstname: 'Jane', lastname: 'Roe', messages: [{ from: 'customer', text: 'Is my refund through?' }] },
];

/** The same browser steps as the suite's tests of these clauses, with plain Playwright. */
const FLOWS: Record<string, { seed?: Seed; run(browser: Browser, ws: Workspace, contexts: BrowserContext[]): Promise<void> }> = {
  'C1.1': {
    async run(browser, ws, contexts) {
      const a = await profile(browser, ws);
      contexts.push(a.context);
      await a.page.goto('/');
      await sendAndWait(a.page, 'Is anyone there?');
      const firstId = await visitorId(a.page);
      const b = await profile(browser, ws);
      contexts.push(b.context);
      await b.page.goto('/');
      await openChat(b.page);
      expect(await visitorId(b.page)).not.toBe(firstId);
      await expect(messages(b.page)).toHaveCount(0);
      await sendAndWait(b.page, 'Hello from a new browser');
      await expect(messages(b.page)).toHaveText(['Hello from a new browser']);
      const stored = (await (await fetch(`${MOCK_URL}/__admin/workspaces/${ws.id}`)).json()) as { conversations: unknown[] };
      expect(stored.conversations.length).toBeGreaterThanOrEqual(2);
    },
  },
  'C1.2': {
    async run(browser, ws, contexts) {
      const { context, page } = await profile(browser, ws);
      contexts.push(context);
      await page.goto('/');
      await sendAndWait(page, 'First question');
      const id = await visitorId(page);
      await page.reload();
      await openChat(page);
      expect(await visitorId(page)).toBe(id);
      await expect(messages(page)).toHaveText(['First question']);
    },
  },
  'C2.1': {
    async run(browser, ws, contexts) {
      const { context, page } = await profile(browser, ws);
      contexts.push(context);
      await login(page, JOHN);
      await sendAndWait(page, 'My parcel has not arrived');
      const agentApi = `${MOCK_URL}/api/v1/workspaces/${ws.id}/agent/conversations`;
      const auth = { Authorization: `Bearer ${ws.agents[0]!.token}` };
      const list = (await (await fetch(agentApi, { headers: auth })).json()) as { id: string; customer?: { email?: string } }[];
      const conversation = list.find((c) => c.customer?.email === JOHN)!;
      await fetch(`${agentApi}/${conversation.id}/messages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Sorry about that, let me check' }),
      });
      await expect(messages(page)).toHaveText(['My parcel has not arrived', 'Sorry about that, let me check']);
      await sendAndWait(page, 'Thanks!');
      const laptop = await profile(browser, ws);
      contexts.push(laptop.context);
      await login(laptop.page, JOHN);
      await openChat(laptop.page);
      await expect(messages(laptop.page)).toHaveText(['My parcel has not arrived', 'Sorry about that, let me check', 'Thanks!']);
    },
  },
  'C3.1': {
    seed: JANE_SEED,
    async run(browser, ws, contexts) {
      const { context, page } = await profile(browser, ws);
      contexts.push(context);
      await login(page, JANE);
      await openChat(page);
      await expect(messages(page)).toHaveText(['Is my refund through?']);
      await page.evaluate(() => (window as unknown as { CV: { user: { reset(): Promise<void> } } }).CV.user.reset());
      expect(await messages(page).allTextContents()).toEqual([]);
      await expect(panel(page).getByRole('note', { name: 'Assigned agent' })).toBeHidden();
    },
  },
  'C3.2': {
    seed: JANE_SEED,
    async run(browser, ws, contexts) {
      const { context, page } = await profile(browser, ws);
      contexts.push(context);
      const authorizations: string[] = [];
      page.on('request', (request) => {
        const auth = request.headers().authorization;
        if (auth) authorizations.push(auth);
      });
      await login(page, JANE);
      await openChat(page);
      await expect(messages(page)).toHaveText(['Is my refund through?']);
      const oldId = await visitorId(page);
      const oldAuthorization = authorizations.at(-1)!;
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in' }).waitFor();
      await openChat(page);
      expect(await visitorId(page)).not.toBe(oldId);
      const replay = await fetch(`${MOCK_URL}/api/v1/workspaces/${ws.id}/visitors/${oldId}/session`, {
        headers: { Authorization: oldAuthorization },
      });
      expect(replay.status).toBe(401);
    },
  },
};
const CLAUSES = Object.keys(FLOWS);

/** One round of the five flows. The browser's launch counts in the first one's time, as the
 * suite's worker launches its browser during its first test (a fixture of the worker). */
async function bareRound(): Promise<Record<string, number>> {
  let t0 = performance.now();
  // The build the suite's headless run uses, so that (a) compares the harness, not two builds.
  const browser = await chromium.launch({ executablePath: chromiumLaunch({ headless: true })?.executablePath });
  const times: Record<string, number> = {};
  try {
    for (const [i, clause] of CLAUSES.entries()) {
      const flow = FLOWS[clause]!;
      if (i > 0) t0 = performance.now();
      const ws = await createWorkspace(`bench ${clause}`, flow.seed);
      const contexts: BrowserContext[] = [];
      await flow.run(browser, ws, contexts);
      await Promise.all(contexts.map((c) => c.close()));
      await fetch(`${MOCK_URL}/__admin/workspaces/${ws.id}`, { method: 'DELETE' });
      times[clause] = performance.now() - t0;
    }
  } finally {
    await browser.close();
  }
  return times;
}

// ---------------------------------------------------------------- the suite

const suiteEnv: NodeJS.ProcessEnv = { ...process.env, TEST_MOCK_PORT: String(MOCK_PORT), TEST_SITE_PORT: String(SITE_PORT) };
// Reused servers: not in CI mode, which would start fresh ones.
delete suiteEnv.CI;
const SPECS = ['tests/specs/session-id.spec.ts', 'tests/specs/history-on-login.spec.ts', 'tests/specs/logout.spec.ts'];

/** Every spec of a JSON report's suite and the suites inside it. */
function specsOf(suite: JsonSuite): NonNullable<JsonSuite['specs']> {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specsOf)];
}

interface JsonSuite {
  title?: string;
  specs?: { title: string; tests: { results: { duration: number; status: string }[] }[] }[];
  suites?: JsonSuite[];
}

/** One run of the five tests on one worker: each test's duration, as Playwright reports it. */
function suiteRound(): Record<string, number> {
  const out = join(reportDir, 'harness-run.json');
  const grep = `\\[(${CLAUSES.map((c) => c.replace('.', '\\.')).join('|')})\\]`;
  const run = spawnSync('npx', ['playwright', 'test', ...SPECS, `--grep=${grep}`, '--workers=1', '--reporter=json', '--trace=off'], {
    cwd: root,
    env: { ...suiteEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`the suite's run of ${CLAUSES.join(', ')} failed (exit ${run.status})`);
  const times: Record<string, number> = {};
  for (const spec of specsOf(JSON.parse(readFileSync(out, 'utf8')) as JsonSuite)) {
    const clause = /\[(C\d+\.\d+)\]/.exec(spec.title)?.[1];
    const result = spec.tests[0]?.results[0];
    if (clause && result?.status === 'passed') times[clause] = result.duration;
  }
  rmSync(out, { force: true });
  for (const clause of CLAUSES) if (times[clause] === undefined) throw new Error(`the suite's run gave no passed result for ${clause}`);
  return times;
}

/** The machine's CPU time so far, busy and idle, in seconds (all cores; /proc/stat counts in 1/100 s). */
function machineCpu(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: (user! + nice! + system! + irq! + softirq! + steal!) / 100, idle: (idle! + iowait!) / 100 };
}

/** The C1–C3 specs with n workers: wall time, and the CPU the machine spent meanwhile. */
function workersRun(n: number): { workers: number; wallS: number; cpuS: number; busy: number; tests: number } {
  const before = machineCpu();
  const t0 = performance.now();
  const run = spawnSync('npx', ['playwright', 'test', ...SPECS, `--workers=${n}`, '--reporter=dot', '--trace=off'], {
    cwd: root,
    env: suiteEnv,
    encoding: 'utf8',
  });
  const wallS = (performance.now() - t0) / 1000;
  const after = machineCpu();
  if (run.status !== 0) throw new Error(`the C1–C3 specs with ${n} workers failed:\n${run.stdout}\n${run.stderr}`);
  const tests = Number(/(\d+) passed/.exec(run.stdout)?.[1] ?? 0);
  const busyS = after.busy - before.busy;
  const busy = busyS / (busyS + after.idle - before.idle);
  return { workers: n, wallS: round(wallS), cpuS: round(busyS), busy: round(busy, 2), tests };
}

// ---------------------------------------------------------------- (c) the two builds

type BuildName = 'full Chromium' | 'headless shell';
const BUILDS: { name: BuildName; choice: ChromiumChoice | undefined }[] = [
  { name: 'full Chromium', choice: findChromium() },
  { name: 'headless shell', choice: findHeadlessShell() },
];

/** Median cost of a bare context cycle on one launch of a build, in ms. */
async function contextCycles(choice: ChromiumChoice, n = 8): Promise<number> {
  const browser = await chromium.launch({ executablePath: choice.executablePath });
  try {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${SITE_URL}/health`);
      await page.evaluate(() => document.body.textContent);
      await context.close();
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    await browser.close();
  }
}

interface WholeSuite {
  wallS: number;
  cpuS: number;
  passed: number;
  failed: number;
  /** The spec files by the time their tests took, summed (longest first). */
  files: { file: string; s: number }[];
}

interface JsonReport {
  suites: (JsonSuite & { file?: string })[];
  stats: { expected: number; unexpected: number; flaky: number };
}

/** The whole suite once: full Chromium for everything (CHROMIUM_PATH pinned), or the default builds. */
function wholeSuite(build: BuildName): WholeSuite {
  const out = join(reportDir, 'whole-suite.json');
  const env: NodeJS.ProcessEnv = {
    ...suiteEnv,
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    CONFORMANCE_DIR: join(reportDir, `conformance-${build.replace(' ', '-')}`),
  };
  if (build === 'full Chromium') env.CHROMIUM_PATH = findChromium()?.executablePath ?? '';
  const before = machineCpu();
  const t0 = performance.now();
  const run = spawnSync('npx', ['playwright', 'test', '--reporter=json', '--trace=off'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const wallS = (performance.now() - t0) / 1000;
  const after = machineCpu();
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  rmSync(out, { force: true });
  const files = report.suites
    .map((suite) => {
      const ms = specsOf(suite)
        .flatMap((spec) => spec.tests.flatMap((t) => t.results))
        .reduce((sum, r) => sum + r.duration, 0);
      return { file: suite.file ?? suite.title ?? 'unnamed', s: round(ms / 1000) };
    })
    .sort((a, b) => b.s - a.s);
  if (run.status !== 0) console.log(`[bench:harness] the whole suite on ${build} had failures (exit ${run.status})`);
  return {
    wallS: round(wallS),
    cpuS: round(after.busy - before.busy),
    passed: report.stats.expected,
    failed: report.stats.unexpected + report.stats.flaky,
    files,
  };
}

// ---------------------------------------------------------------- run

mkdirSync(reportDir, { recursive: true });
process.on('exit', stopServers);
try {
  spawnSync('npx', ['tsx', 'widget/build.ts'], { cwd: root, stdio: 'inherit' });
  await startServer(
    `exec node --import tsx mock-server/src/main.ts --port ${MOCK_PORT} --data .data/bench-harness-${MOCK_PORT} --reset --no-fsync --test-mode`,
    `${MOCK_URL}/__admin/health`,
  );
  await startServer(
    `exec node --import tsx fixture-site/src/main.ts --port ${SITE_PORT} --mock ${MOCK_URL} --workspace no-workspace-chosen`,
    `${SITE_URL}/health`,
  );
  console.log(`[bench:harness] servers up at ${MOCK_URL} and ${SITE_URL}`);

  // One warm-up of each (compiling, the servers' first requests), not counted.
  await bareRound();
  suiteRound();
  const bare = new Map(CLAUSES.map((c) => [c, [] as number[]]));
  const suite = new Map(CLAUSES.map((c) => [c, [] as number[]]));
  for (let r = 0; r < ROUNDS; r++) {
    const s = suiteRound();
    const b = await bareRound();
    for (const c of CLAUSES) {
      suite.get(c)!.push(s[c]!);
      bare.get(c)!.push(b[c]!);
    }
    console.log(
      `[bench:harness] round ${r + 1}/${ROUNDS}: ${CLAUSES.map((c) => `${c} ${Math.round(s[c]!)}/${Math.round(b[c]!)} ms`).join(', ')}`,
    );
  }
  const overhead = CLAUSES.map((clause) => {
    const inSuite = median(suite.get(clause)!);
    const alone = median(bare.get(clause)!);
    return { clause, suiteMs: Math.round(inSuite), bareMs: Math.round(alone), ratio: round(inSuite / alone, 2) };
  });

  const workers = values['skip-workers'] ? [] : [3, 1, 4, 2].map((n) => workersRun(n)).sort((a, b) => a.workers - b.workers);

  const SUITE_ROUNDS = Number(values['suite-rounds']);
  const usable = BUILDS.filter((b) => b.choice);
  const contextMs = new Map(usable.map((b) => [b.name, [] as number[]]));
  const suites = new Map(usable.map((b) => [b.name, [] as WholeSuite[]]));
  for (let r = 1; r <= ROUNDS; r++) {
    for (const b of usable) contextMs.get(b.name)!.push(await contextCycles(b.choice!));
    console.log(
      `[bench:harness] contexts, round ${r}: ${usable.map((b) => `${b.name} ${Math.round(contextMs.get(b.name)!.at(-1)!)} ms`).join(', ')}`,
    );
  }
  for (let r = 1; r <= SUITE_ROUNDS; r++) {
    for (const b of usable) {
      const w = wholeSuite(b.name);
      suites.get(b.name)!.push(w);
      console.log(
        `[bench:harness] whole suite, round ${r}, ${b.name}: ${w.wallS} s wall, ${w.cpuS} s CPU, ${w.passed} passed, ${w.failed} failed`,
      );
    }
  }
  const builds = usable.map((b) => ({
    build: b.name,
    binary: b.choice!.description,
    contextMs: contextMs.get(b.name)!.map((x) => Math.round(x)),
    suites: suites.get(b.name)!,
  }));

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
  const date = new Date().toISOString();
  writeFileSync(join(reportDir, 'harness.json'), JSON.stringify({ date, machine, rounds: ROUNDS, overhead, workers, builds }, null, 2));
  const md = [
    `# The harness's cost, ${date.slice(0, 10)}`,
    '',
    `${machine}; \`npm run bench:harness\`, ${ROUNDS} rounds, the suite and the bare script taking turns.`,
    '',
    '## (a) The suite against a bare Playwright script, the same browser steps (median per test)',
    '',
    '| clause | in the suite | bare script | suite / bare (target ≤ 1.3) |',
    '|---|---|---|---|',
    ...overhead.map((o) => `| ${o.clause} | ${o.suiteMs} ms | ${o.bareMs} ms | ${o.ratio}× |`),
    '',
    ...(workers.length
      ? [
          `## (b) ${SPECS.join(', ')} by worker count (run in the order 3, 1, 4, 2)`,
          '',
          `| workers | tests | wall time | CPU the machine spent | cores busy (of ${cpus().length}) |`,
          '|---|---|---|---|---|',
          ...workers.map((w) => `| ${w.workers} | ${w.tests} | ${w.wallS} s | ${w.cpuS} s | ${round(w.busy * cpus().length, 2)} |`),
          '',
        ]
      : []),
    ...(builds.length
      ? [
          '## (c) Full Chromium and its headless shell, taking turns',
          '',
          `Whole suite: full Chromium for everything (CHROMIUM_PATH pinned) against the default (the shell for headless runs, full Chromium where a spec asks for it).`,
          '',
          '| build | binary | context cycle (median per round) | whole suite: wall, machine CPU, passed/failed (per round) |',
          '|---|---|---|---|',
          ...builds.map(
            (b) =>
              `| ${b.build} | ${b.binary} | ${b.contextMs.map((x) => `${x} ms`).join(' / ')} | ${b.suites.map((w) => `${w.wallS} s, ${w.cpuS} s, ${w.passed}/${w.failed}`).join('; ') || 'not run'} |`,
          ),
          '',
          ...builds
            .filter((b) => b.suites.length)
            .flatMap((b) => [
              `Longest spec files on ${b.build} (test time summed over workers, round 1): ${b.suites[0]!.files.slice(0, 6)
                .map((f) => `${f.file} ${f.s} s`)
                .join(', ')}.`,
              '',
            ]),
        ]
      : []),
  ].join('\n');
  writeFileSync(join(reportDir, 'harness.md'), md);
  console.log(`\n${md}`);
} finally {
  stopServers();
}
