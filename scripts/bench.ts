/**
 * `npm run bench`: what the mock server and the reference widget cost, every figure measured
 * side by side in one run (the machine's load changes from minute to minute; ratios taken in
 * one interleaved run do not). Written to reports/bench/bench.json and bench.md.
 *
 *   npm run bench                       all of it
 *   npm run bench -- --rounds 40        more sends and reads per figure (default 20)
 *
 * What it measures (issue 17's list, the parts without a browser so far):
 * - the mock server, started as `npm start` starts it (built: mock-server/build.ts), on stores
 *   of 1, 10 and 50 MB: the latency of a message send and the server's CPU time per send, the
 *   servers taking turns send by send (A B C A B C), and each server's memory (RSS) next to its
 *   store's size; a fourth server on another 1 MB store, started with --no-fsync, takes its
 *   turn too: the difference is what flushing each write to disk (the file and its folder) costs;
 * - throughput against json-server 0.17 (the kind of mock backend this one replaces): bursts
 *   of sends, 10 at a time, to our 1 MB servers (flushed and not) and to json-server on a 1 MB
 *   db.json, the three taking turns burst by burst; sends answered per second;
 * - history reads: a session read for customers with 10, 1,000 and 10,000 messages, in turns
 *   (on the 50 MB server, from a workspace of their own; a read writes nothing);
 * - the widget: bytes as served (minified), and unminified for comparison, both gzipped; and in
 *   Chromium, from the page's start to the widget ready with a new visitor, and from
 *   `CV.user.tag` to the latest message of a 10, 1,000 or 10,000-message history on screen
 *   (a new browser context each time, the sizes taking turns).
 *
 * Stores are written straight to disk in the store's own format, one file per workspace
 * (filling 50 MB through the API would take thousands of writes); the server then opens them as
 * any store. The sender's workspace is small in every store: the store grows by other
 * workspaces, as a vendor's does, and a send costs what its own workspace holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import type { Conversation, Customer, Message, Visitor, Workspace } from '../mock-server/src/store.js';
import { buildMockServer, SERVER_BUILD } from '../mock-server/build.js';
import { hashToken, newId, newToken } from '../mock-server/src/tokens.js';
import { DEFAULT_SETTINGS } from '../protocol/control-api.js';
import { widgetBuildOptions } from '../widget/build.js';
import { findChromium } from './browser.js';
import { waitUp } from './wait-up.js';
import { root } from './widget-variants.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const ROUNDS = Number(values.rounds);
const dir = join(root, '.data/bench');
const reportDir = join(root, 'reports/bench');
const BASE_PORT = Number(process.env.BENCH_PORT ?? 4900);

// ---------------------------------------------------------------- stores

const now = new Date().toISOString();
const TEXT = 'A message of a realistic length, about as long as a customer writes when asking about an order.';

function messages(count: number, visitorId: string, from: number): Message[] {
  return Array.from({ length: count }, (_, i) => ({
    id: newId('msg'),
    seq: from + i,
    author: i % 3 === 2 ? ('agent' as const) : ('visitor' as const),
    ...(i % 3 === 2 ? { agentEmail: 'anna.agent@example.com' } : { visitorId }),
    text: `${TEXT} (${from + i})`,
    createdAt: now,
  }));
}

interface Signed {
  visitorId: string;
  token: string;
}

/** A workspace whose customers hold `sizes[i]` messages each, each with a signed-in visitor. */
function workspace(sizes: number[]): { ws: Workspace; visitors: Signed[] } {
  const ws: Workspace = {
    id: newId('ws'),
    name: 'bench',
    createdAt: now,
    settings: { ...DEFAULT_SETTINGS },
    identitySecret: newToken(),
    seq: 0,
    agents: [{ email: 'anna.agent@example.com', name: 'Anna', tokenHash: hashToken(newToken()) }],
    customers: [],
    visitors: [],
    conversations: [],
  };
  const visitors: Signed[] = [];
  for (const [i, size] of sizes.entries()) {
    const token = newToken();
    const visitor: Visitor = { id: newId('vis'), tokenHash: hashToken(token), createdAt: now };
    const conversation: Conversation = { id: newId('conv'), messages: messages(size, visitor.id, ws.seq + 1) };
    ws.seq += size;
    const customer: Customer = {
      id: newId('cus'),
      email: `customer${i}@example.com`,
      firstname: 'Bench',
      lastname: `Customer ${i}`,
      labels: [],
      data: {},
      conversationId: conversation.id,
      createdAt: now,
      updatedAt: now,
    };
    conversation.customerId = customer.id;
    Object.assign(visitor, { customerId: customer.id, conversationId: conversation.id });
    ws.customers.push(customer);
    ws.visitors.push(visitor);
    ws.conversations.push(conversation);
    visitors.push({ visitorId: visitor.id, token });
  }
  return { ws, visitors };
}

interface Stored {
  ws: Workspace;
  visitors: Signed[];
  bytes: number;
}

/** A store of about `megabytes` MB in `dir`: the sender's workspace, the history workspace
 * (customers of `historySizes` messages), and filler workspaces of about 1 MB each. */
function writeStore(dir: string, megabytes: number, historySizes: number[]): { sender: Stored; history?: Stored; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const put = ({ ws, visitors }: { ws: Workspace; visitors: Signed[] }): Stored => {
    const file = join(dir, `${ws.id}.json`);
    writeFileSync(file, JSON.stringify(ws));
    return { ws, visitors, bytes: statSync(file).size };
  };
  const sender = put(workspace([1]));
  const history = historySizes.length ? put(workspace(historySizes)) : undefined;
  let bytes = sender.bytes + (history?.bytes ?? 0);
  const perFiller = 5_000; // messages: about 1 MB of JSON
  while (bytes < megabytes * 1_000_000) bytes += put(workspace([perFiller])).bytes;
  return { sender, history, bytes };
}

// ---------------------------------------------------------------- servers

interface Server {
  name: string;
  /** Whether it flushes each write to disk (all but the --no-fsync one). */
  fsync: boolean;
  url: string;
  process: ChildProcess;
  storeBytes: number;
  ws: Workspace;
  visitors: Signed[];
  history?: Stored;
}

async function startServer(
  name: string,
  file: string,
  port: number,
  bench: Omit<Server, 'name' | 'url' | 'process' | 'fsync'>,
  fsync = true,
): Promise<Server> {
  const flags = fsync ? [] : ['--no-fsync'];
  const child = spawn(process.execPath, [SERVER_BUILD, '--port', String(port), '--data', file, ...flags], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = { name, fsync, url: `http://127.0.0.1:${port}`, process: child, ...bench };
  servers.push(server); // stopped at the end whatever happens
  // Up once it answers the widget's first request (the control namespace is closed, as in `npm start`).
  await upOrExited(child, `${server.url}/api/v1/workspaces/${bench.ws.id}/config`, `the ${name} server`);
  return server;
}

/** Resolves once `url` answers (scripts/wait-up.ts); a process that exits first is an error naming it. */
function upOrExited(child: ChildProcess, url: string, name: string): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${name} stopped (${signal ?? `exit ${code}`}) before it answered`))),
  );
  return Promise.race([waitUp(url, 60_000), exited]);
}

/** The process's CPU time so far (user + system), in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function timed(request: () => Promise<Response>): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await request();
  const body = await res.arrayBuffer();
  if (!res.ok) throw new Error(`${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

const visitorUrl = (s: Server, v: Signed, ws = s.ws) => `${s.url}/api/v1/workspaces/${ws.id}/visitors/${v.visitorId}`;
const auth = (v: Signed) => ({ Authorization: `Bearer ${v.token}` });

const send = (s: Server, text: string) =>
  timed(() =>
    fetch(`${visitorUrl(s, s.visitors[0]!)}/messages`, {
      method: 'POST',
      headers: { ...auth(s.visitors[0]!), 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    }),
  );

const readSession = (s: Server, i: number) => {
  const v = s.history!.visitors[i]!;
  return timed(() => fetch(`${visitorUrl(s, v, s.history!.ws)}/session`, { headers: auth(v) }));
};

/** How many sends a burst makes, and how many are in flight at once. */
const BURST = 200;
const IN_FLIGHT = 10;

/** Sends `count` messages, IN_FLIGHT at a time; answers per second. */
async function burst(sendOne: (text: string) => Promise<unknown>, count: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await sendOne(`burst send ${next++}`);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

/** json-server 0.17 on a db.json of about 1 MB of messages, as a team would mock this API with it. */
async function startJsonServer(file: string, port: number): Promise<{ bytes: number; send: (text: string) => Promise<unknown> }> {
  const visitorId = newId('vis');
  writeFileSync(file, JSON.stringify({ messages: messages(5_000, visitorId, 1) }));
  const child = spawn(process.execPath, [join(root, 'node_modules/json-server/lib/cli/bin.js'), file, '--port', String(port), '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  others.push(child);
  const url = `http://127.0.0.1:${port}/messages`;
  await upOrExited(child, `${url}?_limit=1`, 'json-server');
  const sendOne = (text: string) =>
    timed(() =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ author: 'visitor', visitorId, text, createdAt: new Date().toISOString() }),
      }),
    );
  return { bytes: statSync(file).size, send: sendOne };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

// ---------------------------------------------------------------- run

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
await buildMockServer();
mkdirSync(reportDir, { recursive: true });

const HISTORIES = [10, 1_000, 10_000];
/** The stores, in MB: the last holds the histories too. A send is flushed to disk except where `fsync` is false. */
const STORES = [{ mb: 1 }, { mb: 1, fsync: false }, { mb: 10 }, { mb: 50 }];
console.log(`[bench] writing stores of ${STORES.map((s) => s.mb).join(', ')} MB`);
const servers: Server[] = [];
/** Other processes the bench starts (json-server), stopped at the end with the servers. */
const others: ChildProcess[] = [];
try {
  for (const [i, { mb, fsync = true }] of STORES.entries()) {
    const store = join(dir, `store-${i}-${mb}mb`);
    // The three history sizes live in the largest store, which they do not change much.
    const stored = writeStore(store, mb, i === STORES.length - 1 ? HISTORIES : []);
    await startServer(
      `${mb} MB${fsync ? '' : ', no fsync'}`,
      store,
      BASE_PORT + i,
      { storeBytes: stored.bytes, ws: stored.sender.ws, visitors: stored.sender.visitors, history: stored.history },
      fsync,
    );
  }
  console.log(`[bench] servers up: ${servers.map((s) => `${s.name} (${(s.storeBytes / 1e6).toFixed(1)} MB stored)`).join(', ')}`);

  // Sends, the servers taking turns; one warm-up send each first.
  for (const s of servers) await send(s, 'warm-up');
  const sends = new Map(servers.map((s) => [s.name, [] as number[]]));
  const cpuBefore = new Map(servers.map((s) => [s.name, cpuMs(s.process.pid!)]));
  for (let r = 0; r < ROUNDS; r++) for (const s of servers) sends.get(s.name)!.push((await send(s, `bench send ${r}`)).ms);
  const sendRows = servers.map((s) => ({
    store: s.name,
    fsync: s.fsync,
    storedMB: round(s.storeBytes / 1e6),
    medianMs: round(median(sends.get(s.name)!)),
    cpuMsPerSend: round((cpuMs(s.process.pid!) - cpuBefore.get(s.name)!) / ROUNDS),
    ...(({ rss, peak }) => ({ rssMB: round(rss / 1e6), peakRssMB: round(peak / 1e6), rssToStored: round(rss / s.storeBytes, 2) }))(
      memory(s.process.pid!),
    ),
  }));

  // Throughput: bursts of sends, 10 in flight at a time, to our two 1 MB servers and to
  // json-server 0.17 on a db.json of the same size, taking turns burst by burst.
  const jsonServer = await startJsonServer(join(dir, 'json-server-db.json'), BASE_PORT + STORES.length);
  const targets: { name: string; send: (text: string) => Promise<unknown> }[] = [
    ...servers.filter((s) => s.storeBytes < 2e6).map((s) => ({ name: `ours, ${s.name}`, send: (text: string) => send(s, text) })),
    { name: `json-server 0.17, ${round(jsonServer.bytes / 1e6)} MB db.json`, send: jsonServer.send },
  ];
  const perSecond = new Map(targets.map((t) => [t.name, [] as number[]]));
  for (const t of targets) await burst(t.send, 20);
  for (let r = 0; r < Math.ceil(ROUNDS / 4); r++) {
    for (const t of targets) perSecond.get(t.name)!.push(await burst(t.send, BURST));
  }
  const throughputRows = targets.map((t) => ({ server: t.name, sendsPerSecond: round(median(perSecond.get(t.name)!)) }));

  // History reads on the largest store's server, in turns.
  const reader = servers.at(-1)!;
  const reads = new Map(HISTORIES.map((h) => [h, [] as number[]]));
  const bytes = new Map<number, number>();
  for (const i of HISTORIES.keys()) await readSession(reader, i);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, h] of HISTORIES.entries()) {
      const read = await readSession(reader, i);
      reads.get(h)!.push(read.ms);
      bytes.set(h, read.bytes);
    }
  }
  // The largest store's server's memory once it holds the history workspace too.
  const afterReads = memory(reader.process.pid!);
  const readMemory = {
    rssMB: round(afterReads.rss / 1e6),
    peakRssMB: round(afterReads.peak / 1e6),
    rssToStored: round(afterReads.rss / reader.storeBytes, 2),
  };
  const readRows = HISTORIES.map((h) => ({
    messages: h,
    medianMs: round(median(reads.get(h)!)),
    responseKB: round(bytes.get(h)! / 1024),
    vsSmallest: round(median(reads.get(h)!) / median(reads.get(HISTORIES[0]!)!), 1),
  }));

  // The widget: the build as served (minified, source map beside it), and the same sources
  // unminified for comparison.
  const served = readFileSync(join(root, 'widget/dist/cv.js'));
  const plain = (await build({ ...widgetBuildOptions(), write: false, minify: false, sourcemap: false })).outputFiles![0]!.contents;
  const widget = {
    servedKB: round(served.byteLength / 1024),
    servedGzipKB: round(gzipSync(served, { level: 9 }).byteLength / 1024),
    servedGzipTargetKB: 12,
    unminifiedKB: round(plain.byteLength / 1024),
    unminifiedGzipKB: round(gzipSync(plain, { level: 9 }).byteLength / 1024),
  };

  // The widget in Chromium, on a page of the largest store's server (same origin as its API).
  const history = reader.history!;
  const browser = await chromium.launch({ executablePath: findChromium()?.executablePath });
  const pageUrl = `${reader.url}/bench-page`;
  const html = `<!doctype html><title>bench</title><script src="/cdn/js/${history.ws.id}.js"></script>`;
  const onScreen = new Map(HISTORIES.map((h) => [h, [] as number[]]));
  const ready: number[] = [];
  const latestText = (i: number) => history.ws.conversations[i]!.messages.at(-1)!.text;
  try {
    for (let r = 0; r < Math.ceil(ROUNDS / 4) + 1; r++) {
      for (const [i, h] of HISTORIES.entries()) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.route(pageUrl, (route) => route.fulfill({ contentType: 'text/html', body: html }));
        await page.addInitScript(() => {
          const w = window as unknown as { __benchReady?: number };
          window.addEventListener('cv:identity-changed', () => (w.__benchReady ??= performance.now()), { once: true });
        });
        await page.goto(pageUrl);
        const readyMs = await page
          .waitForFunction(() => (window as unknown as { __benchReady?: number }).__benchReady)
          .then((h) => h.jsonValue());
        const tagMs = await page.evaluate(
          async ({ email, last }) => {
            const t0 = performance.now();
            await (window as unknown as { CV: { user: { tag(u: unknown): Promise<void> } } }).CV.user.tag({ email });
            // Any widget: wait for the frame in which the latest message is the last one shown.
            const root = document.querySelector('#cv-widget')?.shadowRoot ?? document;
            for (;;) {
              const items = root.querySelectorAll('li');
              if (items[items.length - 1]?.textContent === last) return performance.now() - t0;
              await new Promise(requestAnimationFrame);
            }
          },
          { email: `customer${i}@example.com`, last: latestText(i) },
        );
        // The first round warms the server's cache of the workspace and the browser: not counted.
        if (r > 0) {
          onScreen.get(h)!.push(tagMs);
          ready.push(readyMs as number);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const widgetTiming = {
    readyMs: round(median(ready)),
    tagToLatestOnScreen: HISTORIES.map((h) => ({ messages: h, medianMs: round(median(onScreen.get(h)!)) })),
  };

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
  const result = {
    date: now,
    machine,
    rounds: ROUNDS,
    sends: sendRows,
    throughput: throughputRows,
    historyReads: readRows,
    readMemory,
    widget,
    widgetTiming,
  };
  writeFileSync(join(reportDir, 'bench.json'), JSON.stringify(result, null, 2));
  const one = sendRows[0]!;
  const md = [
    `# Bench, ${now.slice(0, 10)}`,
    '',
    `${machine}; \`npm run bench\`, ${ROUNDS} rounds, the servers taking turns.`,
    '',
    '## A message send, by the size of the store',
    '',
    '| store | median latency | vs 1 MB | server CPU per send | RSS | peak RSS | RSS / stored |',
    '|---|---|---|---|---|---|---|',
    ...sendRows.map(
      (r) =>
        `| ${r.storedMB} MB${r.fsync ? '' : ', no fsync'} | ${r.medianMs} ms | ${round(r.medianMs / one.medianMs)}× | ${r.cpuMsPerSend} ms | ${r.rssMB} MB | ${r.peakRssMB} MB | ${r.rssToStored} |`,
    ),
    '',
    `## Throughput: bursts of ${BURST} sends, ${IN_FLIGHT} in flight, median of ${Math.ceil(ROUNDS / 4)} bursts each`,
    '',
    '| server | sends answered per second |',
    '|---|---|',
    ...throughputRows.map((r) => `| ${r.server} | ${r.sendsPerSecond} |`),
    '',
    '## A session read, by the length of the history',
    '',
    '| messages | median latency | response | vs 10 messages |',
    '|---|---|---|---|',
    ...readRows.map((r) => `| ${r.messages} | ${r.medianMs} ms | ${r.responseKB} KiB | ${r.vsSmallest}× |`),
    '',
    `The ${reader.name} server after these reads: RSS ${readMemory.rssMB} MB (peak ${readMemory.peakRssMB} MB), ${readMemory.rssToStored} × the stored bytes.`,
    '',
    '## The widget',
    '',
    `Served minified with a source map: ${widget.servedKB} KiB, ${widget.servedGzipKB} KiB gzipped (target: at most ${widget.servedGzipTargetKB} KiB gzipped). Unminified: ${widget.unminifiedKB} KiB, ${widget.unminifiedGzipKB} KiB gzipped.`,
    '',
    `In Chromium: from the page's start to the widget ready with a new visitor, median ${widgetTiming.readyMs} ms.`,
    '',
    '| history | CV.user.tag to the latest message on screen (median) |',
    '|---|---|',
    ...widgetTiming.tagToLatestOnScreen.map((r) => `| ${r.messages} | ${r.medianMs} ms |`),
    '',
  ].join('\n');
  writeFileSync(join(reportDir, 'bench.md'), md);
  console.log(`\n${md}`);
} finally {
  for (const s of servers) s.process.kill();
  for (const child of others) child.kill();
  rmSync(dir, { recursive: true, force: true });
}
