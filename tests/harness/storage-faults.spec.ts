/**
 * H7 — The store under real faults: a disk that fills up, a file system remounted read-only,
 * the store's folder removed, and a kill -9 in the middle of a burst the disk refuses. Each on
 * a mock server of the test's own, over its own store. What every test holds the server to:
 * a send it acknowledged is in the visitor's history, in the control namespace's read and in
 * the workspace's file, before and after a restart; a send it refused is in none of them; the
 * refusal is a 503 `storage_unavailable` naming the file and the cause; reads are served
 * throughout; once the disk takes writes again, the next send is stored.
 *
 * C6.7 is a clause of the widget's contract checked here, because it needs such a store: the
 * widget shows a send the store refused as it shows one the network lost (C6.4).
 *
 * The tmpfs tests need root (to mount); without it they are reported not applicable with the
 * reason, never passed on an ordinary disk.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';
import { ChatWidget } from '../pages/chat-widget.js';
import { AdminClient } from '../support/admin-client.js';
import { startSiteInProcess } from '../support/in-process-server.js';
import { startMockServer, type RunningServer, type ServerProcess } from '../support/mock-server-process.js';
import { RawSender, type RawAnswer } from '../support/raw-send.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { VisitorClient } from '../support/visitor-client.js';

type Playwright = PlaywrightWorkerArgs['playwright'];

/** What a visitor writes: 200 characters, numbered, so that a burst fills a small disk in a few hundred sends. */
const message = (n: number) => `message ${String(n).padStart(4, '0')} `.padEnd(200, '.');

test.describe('H7 the store under faults, and C6.7 what the widget shows of them', () => {
  let dir: string;
  let disk: SmallDisk | undefined;
  let servers: ServerProcess[] = [];
  const apis: APIRequestContext[] = [];
  const sender = new RawSender();
  let site: RunningServer | undefined;

  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cv-faults-'));
  });

  test.afterEach(async () => {
    await site?.stop();
    site = undefined;
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
    await Promise.all(apis.splice(0).map((api) => api.dispose()));
    await disk?.unmount();
    disk = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  test.afterAll(() => sender.close());

  /** A tmpfs of `size` as the store's disk, or the test is not applicable (with why). */
  const smallDisk = async (size: string): Promise<SmallDisk> => {
    const mounted = await mountSmallDisk(join(dir, 'disk'), size);
    if ('unavailable' in mounted) {
      test.info().annotations.push({ type: 'not-applicable', description: mounted.unavailable });
      test.skip(true, `not applicable: ${mounted.unavailable}`);
      throw new Error('unreachable: test.skip throws');
    }
    disk = mounted;
    return mounted;
  };

  /** A server on `store` (flushed writes, as `npm start` runs it), its control API and a visitor of a new workspace. */
  const serve = async (playwright: Playwright, store: string) => {
    const server = await startMockServer(['--data', store, '--test-mode']);
    servers.push(server);
    const api = await playwright.request.newContext({ baseURL: server.url });
    apis.push(api);
    return { server, api, admin: new AdminClient(api) };
  };

  const newVisitor = async (api: APIRequestContext) => {
    const ws = (await (await api.post('/__admin/workspaces', { data: { settings: { idMode: 'session' } } })).json()) as { id: string };
    return { wsId: ws.id, visitor: await VisitorClient.register(api, ws.id) };
  };

  const restart = async (playwright: Playwright, store: string, server: ServerProcess) => {
    await server.stop();
    servers = servers.filter((s) => s !== server);
    return serve(playwright, store);
  };

  /** The texts of the visitor's history, as the visitor, the control namespace and the file each hold them. */
  const storedEverywhere = async (api: APIRequestContext, visitor: VisitorClient, file: string) => {
    const ws = await new AdminClient(api).workspace(visitor.workspaceId);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as { conversations: { messages: { text: string }[] }[] };
    return {
      visitor: (await visitor.via(api).allMessages()).map((m) => m.text),
      admin: ws.conversations.flatMap((c) => c.messages.map((m) => m.text)),
      disk: onDisk.conversations.flatMap((c) => c.messages.map((m) => m.text)),
    };
  };
  const everywhere = (texts: string[]) => ({ visitor: texts, admin: texts, disk: texts });

  const expectRefusal = (answer: RawAnswer, file: string, cause: RegExp) => {
    expect(answer.status, `refused, not ${answer.status} ${answer.body}`).toBe(503);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('storage_unavailable');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(cause);
  };

  test('[H7.1] a full disk: every acknowledged send is stored and shown, every refused one is nowhere, also after a restart; once there is room the next send is stored', async ({
    playwright,
  }) => {
    const { dir: store } = await smallDisk('256k');
    const { server, api: firstApi } = await serve(playwright, store);
    let api = firstApi;
    const { visitor } = await newVisitor(api);
    const file = join(store, `${visitor.workspaceId}.json`);

    // One send at a time until the disk refuses one.
    const acknowledged: string[] = [];
    let refused: RawAnswer | undefined;
    for (let n = 1; n <= 2_000 && !refused; n++) {
      const answer = await sender.send(server.url, visitor, message(n));
      if (answer.status === 201) acknowledged.push(message(n));
      else refused = answer;
    }
    expect(refused, 'the 256 KB disk filled up within 2,000 sends').toBeDefined();
    expect(acknowledged.length, 'some sends stored before the disk was full').toBeGreaterThan(10);
    expectRefusal(refused!, file, /disk is full, ENOSPC/);
    // A burst on the full disk, of sends as long (a shorter one may still fit): each is refused
    // alike, those written as one group too.
    const burst = Array.from({ length: 20 }, (_, i) => message(10_000 + i));
    const answers = await Promise.all(burst.map((text) => sender.send(server.url, visitor, text)));
    for (const answer of answers) expectRefusal(answer, file, /disk is full, ENOSPC/);

    expect(await storedEverywhere(api, visitor, file), 'what was acknowledged, and nothing refused').toEqual(everywhere(acknowledged));
    expect((await api.get(`/api/v1/workspaces/${visitor.workspaceId}/config`)).status(), 'reads are served').toBe(200);

    // Room again: the next send is stored, and nothing refused comes with it.
    await disk!.remount('size=2m');
    const after = (await sender.send(server.url, visitor, 'after the disk grew')).status;
    expect(after).toBe(201);
    const expected = [...acknowledged, 'after the disk grew'];
    expect(await storedEverywhere(api, visitor, file)).toEqual(everywhere(expected));
    api = (await restart(playwright, store, server)).api;
    expect(await storedEverywhere(api, visitor, file), 'the same after a restart').toEqual(everywhere(expected));
  });

  test('[H7.2] a file system remounted read-only: sends are refused and kept nowhere, reads go on; remounted writable, the next send is stored', async ({
    playwright,
  }) => {
    const { dir: store } = await smallDisk('2m');
    const { server, api: firstApi } = await serve(playwright, store);
    let api = firstApi;
    const { visitor } = await newVisitor(api);
    const file = join(store, `${visitor.workspaceId}.json`);
    for (const text of ['first', 'second']) expect((await sender.send(server.url, visitor, text)).status).toBe(201);

    await disk!.remount('ro');
    expectRefusal(await sender.send(server.url, visitor, 'while read-only'), file, /read-only, EROFS/);
    expect((await visitor.via(api).tag({ email: 'ro@example.com' })).status(), 'a tag is refused alike').toBe(503);
    const stored = await storedEverywhere(api, visitor, file);
    expect(stored).toEqual(everywhere(['first', 'second']));
    expect((await visitor.via(api).session()).status(), 'the session is served').toBe(200);
    expect((await new AdminClient(api).workspace(visitor.workspaceId)).customers, 'the refused tag made no customer').toEqual([]);

    await disk!.remount('rw');
    expect((await sender.send(server.url, visitor, 'writable again')).status).toBe(201);
    api = (await restart(playwright, store, server)).api;
    expect(await storedEverywhere(api, visitor, file)).toEqual(everywhere(['first', 'second', 'writable again']));
  });

  test("[H7.3] the store's folder removed under a running server: sends are refused and kept nowhere, reads go on; restored, the next send is stored", async ({
    playwright,
  }) => {
    const store = join(dir, 'store');
    const { server, api: firstApi } = await serve(playwright, store);
    let api = firstApi;
    const { visitor } = await newVisitor(api);
    const file = join(store, `${visitor.workspaceId}.json`);
    expect((await sender.send(server.url, visitor, 'before')).status).toBe(201);

    await rm(store, { recursive: true });
    expectRefusal(await sender.send(server.url, visitor, 'while the folder is gone'), file, /folder is gone, ENOENT/);
    expect(
      (await visitor.via(api).allMessages()).map((m) => m.text),
      'reads are served, without the refused send',
    ).toEqual(['before']);

    // Made again by whoever removed it: the server does not make it (it would hold this workspace only).
    await mkdir(store);
    expect((await sender.send(server.url, visitor, 'restored')).status).toBe(201);
    api = (await restart(playwright, store, server)).api;
    expect(await storedEverywhere(api, visitor, file)).toEqual(everywhere(['before', 'restored']));
  });

  test('[H7.4] killed with kill -9 in the middle of a burst the full disk refuses: after a restart every acknowledged send is there, no refused one', async ({
    playwright,
  }) => {
    test.slow();
    const { dir: store } = await smallDisk('256k');
    const { server, api: firstApi } = await serve(playwright, store);
    let api = firstApi;
    const { visitor } = await newVisitor(api);
    const file = join(store, `${visitor.workspaceId}.json`);

    // More than the disk holds, all at once; killed as soon as the first refusal comes back.
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let killing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 1_500 }, async (_, i) => {
        const answer = await sender.send(server.url, visitor, message(i));
        if (answer.status === 201) acknowledged.push(message(i));
        if (answer.status === 503) {
          refused.push(message(i));
          killing ??= server.crash();
        }
      }),
    );
    await killing;
    expect(refused.length, 'the disk refused part of the burst before the kill').toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(0);

    await disk!.remount('size=2m');
    api = (await restart(playwright, store, server)).api;
    const stored = await storedEverywhere(api, visitor, file);
    expect(stored.disk, 'the file and what is served agree').toEqual(stored.visitor);
    expect(stored.admin).toEqual(stored.visitor);
    const kept = new Set(stored.visitor);
    expect(
      acknowledged.filter((t) => !kept.has(t)),
      'acknowledged sends missing after the restart',
    ).toEqual([]);
    expect(
      refused.filter((t) => kept.has(t)),
      'refused sends stored after all',
    ).toEqual([]);
  });

  test('[C6.7] a message the store cannot write (its disk is full) is shown as a network failure is: not as sent, the text kept, and sent again once there is room, stored once', async ({
    playwright,
    browser,
  }) => {
    const { dir: store } = await smallDisk('256k');
    const { server, api } = await serve(playwright, store);
    const { wsId, visitor: filler } = await newVisitor(api);
    // The fixture site of this test, embedding this workspace through its own /cv proxy.
    site = await startSiteInProcess({ mockServerUrl: server.url, defaultWorkspace: wsId });
    const context = await browser.newContext({ baseURL: site.url });
    const page = await context.newPage();
    const widget = new ChatWidget(page);
    await page.goto('/');
    await widget.sendAndWait('Before the disk filled');

    // Another visitor of the workspace fills its file's disk (a shorter message might still fit).
    let n = 0;
    while ((await sender.send(server.url, filler, message(++n))).status === 201 && n < 2_000);
    const text = `Lost to a full disk ${'.'.repeat(300)}`;
    await widget.send(text);
    await expect(widget.alert, 'the widget says the message was not sent').toHaveText(/\S/);
    await expect(widget.messages).toHaveText(['Before the disk filled']);
    await expect(widget.messageBox, 'nothing typed is lost').toHaveValue(text);

    await disk!.remount('size=2m');
    await widget.sendButton.click();
    await expect(widget.messages).toHaveText(['Before the disk filled', text]);
    await expect(widget.alert, 'once it is sent, no alert says it was not').toBeHidden();
    const own = (await new AdminClient(api).workspace(wsId)).conversations.flatMap((c) =>
      c.messages.filter((m) => !m.text.startsWith('message ')).map((m) => m.text),
    );
    expect(own, 'stored once').toEqual(['Before the disk filled', text]);
    await context.close();
  });
});
