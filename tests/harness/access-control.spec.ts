/**
 * H2 — Access control on the mock backend: a visitor token opens its own visitor only, in its
 * own workspace; a reset revokes it everywhere, event streams included; the agent API needs an
 * agent token of the workspace; the control namespace is shut outside test mode unless the
 * admin token is presented; a deleted workspace is gone for every token; an event stream
 * opens with a one-time ticket, never with the token in its URL. API-level: no browser.
 */
import type { APIResponse } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { startInProcess } from '../support/in-process-server.js';
import { startMockServer } from '../support/mock-server-process.js';
import { MOCK_URL } from '../support/env.js';
import { VisitorClient, workspaceApiPath } from '../support/visitor-client.js';

/** Every endpoint that takes a visitor's token, called as this client. */
function visitorCalls(visitor: VisitorClient) {
  return {
    session: () => visitor.session(),
    messages: () => visitor.send('let me in'),
    tag: () => visitor.tag({ email: 'intruder@example.com' }),
    reset: () => visitor.reset(),
    streamTicket: () => visitor.streamTicket(),
  };
}

async function buyTicket(visitor: VisitorClient): Promise<string> {
  const response = await visitor.streamTicket();
  expect(response.status(), 'a stream ticket for the visitor').toBe(201);
  return ((await response.json()) as { ticket: string }).ticket;
}

async function expectAllRefused(calls: Record<string, () => Promise<APIResponse>>, code: RegExp, status = 401): Promise<void> {
  for (const [name, call] of Object.entries(calls)) {
    const response = await call();
    expect(response.status(), `${name} must be refused`).toBe(status);
    expect((await response.json()).error.code, name).toMatch(code);
  }
}

/** Opens a visitor's event stream with the ticket; `ended` resolves once the server has closed it. */
async function openStream(visitor: VisitorClient, ticket: string, base = MOCK_URL): Promise<{ ended: () => Promise<boolean> }> {
  const stream = await fetch(`${base}${visitor.eventsPath(`ticket=${encodeURIComponent(ticket)}`)}`);
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  await reader.read(); // the stream's opening comment
  return {
    ended: async () => {
      while (!(await reader.read()).done);
      return true;
    },
  };
}

test.describe('H2 access control', () => {
  test('[H2.1] a visitor token opens its own visitor only, and only in its own workspace', async ({ mockApi, newWorkspace, workspace }) => {
    const alice = await VisitorClient.register(mockApi, workspace.id);
    const bob = await VisitorClient.register(mockApi, workspace.id);
    await visitorCalls(bob).messages();
    const before = await workspace.data();

    await expectAllRefused(visitorCalls(bob.impostor({ token: alice.token })), /^invalid_visitor_token$/);
    const other = await newWorkspace({ name: 'H2.1 other workspace' });
    await expectAllRefused(visitorCalls(alice.impostor({ workspaceId: other.id })), /^invalid_visitor_token$/);

    expect(await workspace.data()).toEqual(before);
    expect((await alice.session()).status()).toBe(200);
  });

  test('[H2.2] a reset revokes the token at every endpoint, and ends an open event stream', async ({ mockApi, workspace }) => {
    const visitor = await VisitorClient.register(mockApi, workspace.id);
    const calls = visitorCalls(visitor);
    expect((await calls.messages()).status()).toBe(201);

    const stream = await openStream(visitor, await buyTicket(visitor));
    const unspent = await buyTicket(visitor);

    expect((await calls.reset()).status()).toBe(204);
    expect(await stream.ended(), 'the open stream ended at reset').toBe(true);

    await expectAllRefused(calls, /^(visitor_revoked|invalid_visitor_token)$/);
    const late = await mockApi.get(visitor.eventsPath(`ticket=${unspent}`));
    expect(late.status(), 'a ticket bought before the reset opens nothing after it').toBe(401);
    expect((await late.json()).error.code).toBe('invalid_stream_ticket');
  });

  test('[H2.3] the agent API needs an agent token of the workspace', async ({ mockApi, newWorkspace, workspace }) => {
    const visitor = await VisitorClient.register(mockApi, workspace.id);
    const other = await newWorkspace({ name: 'H2.3 other', agents: [{ email: 'eve.agent@example.com', name: 'Eve' }] });
    const list = (token?: string) =>
      mockApi.get(`${workspaceApiPath(workspace.id)}/agent/conversations`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

    for (const [name, token] of [
      ['no token', undefined],
      ['a made-up token', 'not-a-token'],
      ['a visitor token', visitor.token],
      ["another workspace's agent token", other.agents[0]!.token],
    ] as const) {
      const response = await list(token);
      expect(response.status(), name).toBe(401);
      expect((await response.json()).error.code, name).toBe('invalid_agent_token');
    }
    expect((await list(workspace.agents[0]!.token)).status()).toBe(200);
  });

  test('[H2.4] outside test mode the control namespace is shut, or open only to the admin token', async ({ playwright }) => {
    const shut = await startMockServer(['--memory']);
    const adminToken = 'h2-admin-token-0123456789';
    const guarded = await startMockServer(['--memory'], { MOCK_ADMIN_TOKEN: adminToken });
    try {
      const api = await playwright.request.newContext();
      const closed = await api.get(`${shut.url}/__admin/health`);
      expect(closed.status()).toBe(403);
      expect((await closed.json()).error.message).toContain('test mode');
      expect((await api.post(`${shut.url}/__admin/workspaces`, { data: {} })).status()).toBe(403);
      expect((await api.get(`${shut.url}/health`)).status(), 'the public health check still answers').toBe(200);

      for (const [name, headers] of [
        ['no token', {}],
        ['a wrong token', { Authorization: 'Bearer wrong-token-0123456789' }],
      ] as const) {
        const refused = await api.get(`${guarded.url}/__admin/health`, { headers });
        expect(refused.status(), name).toBe(401);
        expect((await refused.json()).error.code, name).toBe('invalid_admin_token');
      }
      const opened = await api.get(`${guarded.url}/__admin/health`, { headers: { Authorization: `Bearer ${adminToken}` } });
      expect(opened.status()).toBe(200);
      await api.dispose();
    } finally {
      await Promise.all([shut.stop(), guarded.stop()]);
    }
  });

  test('[H2.5] a deleted workspace is gone at once: its streams end, its visitor and agent tokens get 404', async ({
    mockApi,
    newWorkspace,
  }) => {
    const doomed = await newWorkspace({ name: 'H2.5 doomed', agents: [{ email: 'eve.agent@example.com', name: 'Eve' }] });
    const visitor = await VisitorClient.register(mockApi, doomed.id);
    const calls = visitorCalls(visitor);
    expect((await calls.messages()).status()).toBe(201);
    const stream = await openStream(visitor, await buyTicket(visitor));

    expect((await mockApi.delete(`/__admin/workspaces/${doomed.id}`)).status()).toBe(204);
    expect(await stream.ended(), 'the open stream ended at deletion').toBe(true);

    await expectAllRefused(calls, /^unknown_workspace$/, 404);
    const agentList = await mockApi.get(`${workspaceApiPath(doomed.id)}/agent/conversations`, {
      headers: { Authorization: `Bearer ${doomed.agents[0]!.token}` },
    });
    expect(agentList.status()).toBe(404);
    expect((await mockApi.get(`/__admin/workspaces/${doomed.id}`)).status()).toBe(404);
    const again = await mockApi.delete(`/__admin/workspaces/${doomed.id}`);
    expect(again.status(), 'deleting it again').toBe(404);
    expect((await again.json()).error.code).toBe('unknown_workspace');
  });

  test('[H2.6] an event stream opens with a one-time ticket, never with the visitor token in its URL', async ({
    mockApi,
    playwright,
    workspace,
  }) => {
    const alice = await VisitorClient.register(mockApi, workspace.id);
    const bob = await VisitorClient.register(mockApi, workspace.id);
    const refused = async (url: string, status: number, code: string, why: string, api = mockApi) => {
      const response = await api.get(url);
      expect(response.status(), why).toBe(status);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code, why).toBe(code);
      expect(error.message, `${why}: the error says how to open a stream`).toContain('stream-tickets');
    };

    await refused(alice.eventsPath(`token=${encodeURIComponent(alice.token)}`), 400, 'token_in_url', 'her own valid token, in the URL');
    await refused(alice.eventsPath(''), 401, 'invalid_stream_ticket', 'no ticket');
    await refused(alice.eventsPath('ticket=made-up'), 401, 'invalid_stream_ticket', 'a made-up ticket');

    const bobs = await buyTicket(bob);
    await refused(alice.eventsPath(`ticket=${bobs}`), 401, 'invalid_stream_ticket', "Bob's ticket on Alice's stream");
    await refused(bob.eventsPath(`ticket=${bobs}`), 401, 'invalid_stream_ticket', 'a ticket presented once, wrongly');

    const hers = await buyTicket(alice);
    const stream = await openStream(alice, hers);
    await refused(alice.eventsPath(`ticket=${hers}`), 401, 'invalid_stream_ticket', 'a ticket used once already');
    expect((await (await mockApi.get(`/__admin/workspaces/${workspace.id}/streams`)).json()).open).toEqual([alice.visitorId]);
    expect((await (await mockApi.post(`/__admin/workspaces/${workspace.id}/streams/drop`)).json()).dropped).toBe(1);
    expect(await stream.ended(), 'a dropped stream ends').toBe(true);

    // Expiry, on a server of its own (in this process) whose tickets last 0 ms: every ticket is stale when presented.
    const stale = await startInProcess({ streamTicketTtlMs: 0 });
    const api = await playwright.request.newContext({ baseURL: stale.url });
    try {
      const ws = (await (await api.post('/__admin/workspaces', { data: {} })).json()) as { id: string };
      const carol = await VisitorClient.register(api, ws.id);
      const ticket = await buyTicket(carol);
      await refused(carol.eventsPath(`ticket=${ticket}`), 401, 'invalid_stream_ticket', 'an expired ticket', api);
    } finally {
      await api.dispose();
      await stale.stop();
    }
  });
});
