/**
 * H1 — The mock server's own guarantees, checked on a server of the test's own (a separate
 * process on a fresh store directory): what it stored survives a restart; each workspace is a
 * file of its own, and a change rewrites only its workspace's file; a store it cannot read is
 * named in the error and left as it was.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { startMockServer, type ServerProcess } from '../support/mock-server-process.js';
import { RawSender } from '../support/raw-send.js';
import { VisitorClient } from '../support/visitor-client.js';

const createWorkspace = async (api: APIRequestContext) =>
  (await (await api.post('/__admin/workspaces', { data: { settings: { idMode: 'session' } } })).json()) as { id: string };

test.describe('H1 mock server store', () => {
  let dir: string;

  /** Every server a test starts is stopped after it, passed or failed, before its store is removed. */
  let servers: ServerProcess[] = [];
  const start = async (args: string[]) => {
    const server = await startMockServer(args);
    servers.push(server);
    return server;
  };

  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cv-store-'));
  });

  const sender = new RawSender();

  test.afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
    await rm(dir, { recursive: true, force: true });
  });

  test.afterAll(() => sender.close());

  test('[H1.1] workspaces, customers, visitors and messages survive a restart', async ({ playwright }) => {
    const store = join(dir, 'store');
    let server = await start(['--data', store, '--test-mode']);
    let api = await playwright.request.newContext({ baseURL: server.url });
    const ws = (await (
      await api.post('/__admin/workspaces', { data: { settings: { idMode: 'session' }, agents: [{ email: 'a@example.com', name: 'A' }] } })
    ).json()) as { id: string };
    const visitor = await VisitorClient.register(api, ws.id);
    await visitor.send('kept across restarts');
    await visitor.tag({ email: 'kim@example.com', labels: ['x'] });
    const before = await (await api.get(`/__admin/workspaces/${ws.id}`)).json();
    await api.dispose();
    await server.stop();

    server = await start(['--data', store, '--test-mode']);
    api = await playwright.request.newContext({ baseURL: server.url });
    expect(await (await api.get(`/__admin/workspaces/${ws.id}`)).json()).toEqual(before);
    // The same visitor, with the same token, on the restarted server.
    const session = await api.get(`${visitor.path}/session`, { headers: visitor.headers });
    expect(session.status()).toBe(200);
    expect(await session.json()).toMatchObject({ customer: { email: 'kim@example.com' }, messages: [{ text: 'kept across restarts' }] });
    await api.dispose();
    await server.stop();
  });

  test('[H1.2] a store path that names a file stops the server with a message naming it, and the file is left as it was', async () => {
    const file = join(dir, 'db.json');
    await writeFile(file, '{"workspaces": {}}');
    await expect(startMockServer(['--data', file, '--test-mode'])).rejects.toThrow(`${file} is a file, not a store directory`);
    expect(await readFile(file, 'utf8')).toBe('{"workspaces": {}}');
  });

  test('[H1.3] each workspace is a file of its own: a change rewrites its file only, also when workspaces are read again from disk', async ({
    playwright,
  }) => {
    // No workspace kept in memory: every request reads its workspace from its file.
    const server = await start(['--data', dir, '--test-mode', '--cache-mb', '0']);
    const api = await playwright.request.newContext({ baseURL: server.url });
    const [a, b] = [await createWorkspace(api), await createWorkspace(api)];
    expect((await readdir(dir)).sort()).toEqual([`${a.id}.json`, `${b.id}.json`].sort());
    const [alice, bob] = [await VisitorClient.register(api, a.id), await VisitorClient.register(api, b.id)];
    await bob.send('in b');
    const bFile = join(dir, `${b.id}.json`);
    const bBefore = { text: await readFile(bFile, 'utf8'), mtimeMs: (await stat(bFile)).mtimeMs };

    // Sends to A, some at once: each one stored, in A's file, and B's file not touched.
    await Promise.all(Array.from({ length: 10 }, (_, i) => alice.send(`in a ${i}`)));
    const session = (await (await api.get(`${alice.path}/session`, { headers: alice.headers })).json()) as { messages: { text: string }[] };
    expect(session.messages.map((m) => m.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `in a ${i}`).sort());
    expect(await readFile(join(dir, `${a.id}.json`), 'utf8')).toContain('in a 9');
    expect({ text: await readFile(bFile, 'utf8'), mtimeMs: (await stat(bFile)).mtimeMs }).toEqual(bBefore);

    // A deleted workspace's file is gone.
    expect((await api.delete(`/__admin/workspaces/${a.id}`)).status()).toBe(204);
    expect(await readdir(dir)).toEqual([`${b.id}.json`]);
    await api.dispose();
    await server.stop();
  });

  test('[H1.4] a workspace file that cannot be read is named in a 500, left as it was, and the other workspaces keep being served', async ({
    playwright,
  }) => {
    let server = await start(['--data', dir, '--test-mode']);
    let api = await playwright.request.newContext({ baseURL: server.url });
    const [broken, fine] = [await createWorkspace(api), await createWorkspace(api)];
    await api.dispose();
    await server.stop();
    const brokenFile = join(dir, `${broken.id}.json`);
    await writeFile(brokenFile, '{"half a workspace');

    server = await start(['--data', dir, '--test-mode']);
    api = await playwright.request.newContext({ baseURL: server.url });
    const refused = await api.get(`/api/v1/workspaces/${broken.id}/config`);
    expect(refused.status()).toBe(500);
    expect(await refused.json()).toMatchObject({ error: { code: 'store_unreadable', message: expect.stringContaining(brokenFile) } });
    expect(await readFile(brokenFile, 'utf8')).toBe('{"half a workspace');
    expect((await api.get(`/api/v1/workspaces/${fine.id}/config`)).status()).toBe(200);

    // Mended on disk, it is served again without a restart.
    await writeFile(brokenFile, JSON.stringify({ ...(await (await api.get(`/__admin/workspaces/${fine.id}`)).json()), id: broken.id }));
    expect(await (await api.get(`/api/v1/workspaces/${broken.id}/config`)).json()).toMatchObject({ workspaceId: broken.id });
    await api.dispose();
    await server.stop();
  });

  const rawSend = async (server: ServerProcess, visitor: VisitorClient, text: string) =>
    (await sender.send(server.url, visitor, text)).status;

  test('[H1.5] 2,000 sends made at once are each answered and stored exactly once', async ({ playwright }) => {
    // Each send waits for the ones queued before it: the last answers come seconds after the first.
    test.slow();
    const server = await start(['--data', dir, '--test-mode']);
    const api = await playwright.request.newContext({ baseURL: server.url });
    const visitor = await VisitorClient.register(api, (await createWorkspace(api)).id);
    const sent = Array.from({ length: 2_000 }, (_, i) => `burst ${i}`);
    const statuses = await Promise.all(sent.map((text) => rawSend(server, visitor, text)));
    expect(
      statuses.filter((status) => status !== 201),
      'sends not answered 201',
    ).toHaveLength(0);
    const stored = (await visitor.allMessages()).map((m) => m.text);
    expect(stored).toHaveLength(sent.length);
    expect(new Set(stored)).toEqual(new Set(sent));
    await api.dispose();
    await server.stop();
  });

  test('[H1.6] killed with kill -9 in the middle of a burst of sends, the server loses no send it answered', async ({ playwright }) => {
    test.slow();
    let server = await start(['--data', dir, '--test-mode']);
    let api = await playwright.request.newContext({ baseURL: server.url });
    let visitor = await VisitorClient.register(api, (await createWorkspace(api)).id);
    const answered: string[] = [];
    for (let trial = 1; trial <= 3; trial++) {
      let crashing: Promise<void> | undefined;
      const burst = Array.from({ length: 400 }, async (_, i) => {
        const text = `trial ${trial} send ${i}`;
        if ((await rawSend(server, visitor, text)) !== 201) return;
        answered.push(text);
        // Killed once a quarter of the burst is answered, with the rest in flight.
        if (answered.filter((t) => t.startsWith(`trial ${trial} `)).length === 100) crashing = server.crash();
      });
      await Promise.all(burst);
      await crashing;
      await api.dispose();
      server = await start(['--data', dir, '--test-mode']);
      api = await playwright.request.newContext({ baseURL: server.url });
      visitor = visitor.via(api);
      const stored = new Set((await visitor.allMessages()).map((m) => m.text));
      expect(
        answered.filter((t) => !stored.has(t)),
        `trial ${trial}: answered sends missing after the restart`,
      ).toEqual([]);
    }
    await api.dispose();
    await server.stop();
  });
});
