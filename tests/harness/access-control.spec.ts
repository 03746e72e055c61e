/**
 * H2 — Access control on the mock backend: a visitor token opens its own visitor only, in its
 * own workspace; a reset revokes it everywhere, event streams included; the agent API needs an
 * agent token of the workspace; the control namespace is shut outside test mode unless the
 * admin token is presented; a deleted workspace is gone for every token. API-level: no browser.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { startMockServer } from '../support/mock-server-process.js';
import { MOCK_URL } from '../support/env.js';

interface Creds {
  visitorId: string;
  token: string;
}

const root = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

async function register(api: APIRequestContext, workspaceId: string): Promise<Creds> {
  return (await (await api.post(`${root(workspaceId)}/visitors`)).json()) as Creds;
}

/** Every endpoint that takes a visitor's token, called with the given id and token. */
function visitorCalls(api: APIRequestContext, workspaceId: string, visitorId: string, token: string) {
  const path = `${root(workspaceId)}/visitors/${visitorId}`;
  const headers = { Authorization: `Bearer ${token}` };
  return {
    session: () => api.get(`${path}/session`, { headers }),
    messages: () => api.post(`${path}/messages`, { headers, data: { text: 'let me in' } }),
    tag: () => api.post(`${path}/tag`, { headers, data: { email: 'intruder@example.com' } }),
    reset: () => api.post(`${path}/reset`, { headers }),
    events: () => api.get(`${path}/events?token=${encodeURIComponent(token)}`),
  };
}

async function expectAllRefused(calls: Record<string, () => Promise<APIResponse>>, code: RegExp, status = 401): Promise<void> {
  for (const [name, call] of Object.entries(calls)) {
    const response = await call();
    expect(response.status(), `${name} must be refused`).toBe(status);
    expect((await response.json()).error.code, name).toMatch(code);
  }
}

/** Opens a visitor's event stream; `ended` resolves once the server has closed it. */
async function openStream(workspaceId: string, visitor: Creds): Promise<{ ended: () => Promise<boolean> }> {
  const stream = await fetch(
    `${MOCK_URL}${root(workspaceId)}/visitors/${visitor.visitorId}/events?token=${encodeURIComponent(visitor.token)}`,
  );
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
    const alice = await register(mockApi, workspace.id);
    const bob = await register(mockApi, workspace.id);
    await visitorCalls(mockApi, workspace.id, bob.visitorId, bob.token).messages();
    const before = await workspace.data();

    await expectAllRefused(visitorCalls(mockApi, workspace.id, bob.visitorId, alice.token), /^invalid_visitor_token$/);
    const other = await newWorkspace({ name: 'H2.1 other workspace' });
    await expectAllRefused(visitorCalls(mockApi, other.id, alice.visitorId, alice.token), /^invalid_visitor_token$/);

    expect(await workspace.data()).toEqual(before);
    expect((await visitorCalls(mockApi, workspace.id, alice.visitorId, alice.token).session()).status()).toBe(200);
  });

  test('[H2.2] a reset revokes the token at every endpoint, and ends an open event stream', async ({ mockApi, workspace }) => {
    const visitor = await register(mockApi, workspace.id);
    const calls = visitorCalls(mockApi, workspace.id, visitor.visitorId, visitor.token);
    expect((await calls.messages()).status()).toBe(201);

    const stream = await openStream(workspace.id, visitor);

    expect((await calls.reset()).status()).toBe(204);
    expect(await stream.ended(), 'the open stream ended at reset').toBe(true);

    await expectAllRefused(calls, /^(visitor_revoked|invalid_visitor_token)$/);
  });

  test('[H2.3] the agent API needs an agent token of the workspace', async ({ mockApi, newWorkspace, workspace }) => {
    const visitor = await register(mockApi, workspace.id);
    const other = await newWorkspace({ name: 'H2.3 other', agents: [{ email: 'eve.agent@example.com', name: 'Eve' }] });
    const list = (token?: string) =>
      mockApi.get(`${root(workspace.id)}/agent/conversations`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

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
    const visitor = await register(mockApi, doomed.id);
    const calls = visitorCalls(mockApi, doomed.id, visitor.visitorId, visitor.token);
    expect((await calls.messages()).status()).toBe(201);
    const stream = await openStream(doomed.id, visitor);

    expect((await mockApi.delete(`/__admin/workspaces/${doomed.id}`)).status()).toBe(204);
    expect(await stream.ended(), 'the open stream ended at deletion').toBe(true);

    await expectAllRefused(calls, /^unknown_workspace$/, 404);
    const agentList = await mockApi.get(`${root(doomed.id)}/agent/conversations`, {
      headers: { Authorization: `Bearer ${doomed.agents[0]!.token}` },
    });
    expect(agentList.status()).toBe(404);
    expect((await mockApi.get(`/__admin/workspaces/${doomed.id}`)).status()).toBe(404);
    const again = await mockApi.delete(`/__admin/workspaces/${doomed.id}`);
    expect(again.status(), 'deleting it again').toBe(404);
    expect((await again.json()).error.code).toBe('unknown_workspace');
  });
});
