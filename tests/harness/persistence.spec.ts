/**
 * H1 — The mock server's own guarantees, checked on a server of the test's own (a separate
 * process on a fresh store file): what it stored survives a restart, and a store file it
 * cannot read stops it with a message naming the file, without touching the file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startMockServer } from '../support/mock-server-process.js';
import { VisitorClient } from '../support/visitor-client.js';

test.describe('H1 mock server store', () => {
  let dir: string;

  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cv-store-'));
  });

  test.afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('[H1.1] workspaces, customers, visitors and messages survive a restart', async ({ playwright }) => {
    const dataFile = join(dir, 'db.json');
    let server = await startMockServer(['--data', dataFile, '--test-mode']);
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

    server = await startMockServer(['--data', dataFile, '--test-mode']);
    api = await playwright.request.newContext({ baseURL: server.url });
    expect(await (await api.get(`/__admin/workspaces/${ws.id}`)).json()).toEqual(before);
    // The same visitor, with the same token, on the restarted server.
    const session = await api.get(`${visitor.path}/session`, { headers: visitor.headers });
    expect(session.status()).toBe(200);
    expect(await session.json()).toMatchObject({ customer: { email: 'kim@example.com' }, messages: [{ text: 'kept across restarts' }] });
    await api.dispose();
    await server.stop();
  });

  test('[H1.2] a store file that is not a store stops the server with a message naming it, and is left as it was', async () => {
    const dataFile = join(dir, 'db.json');
    await writeFile(dataFile, '{"not": "a store"}');
    await expect(startMockServer(['--data', dataFile, '--test-mode'])).rejects.toThrow(`${dataFile} does not hold a store document`);
    expect(await readFile(dataFile, 'utf8')).toBe('{"not": "a store"}');
  });
});
