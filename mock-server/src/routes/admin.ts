/**
 * The control namespace for tests, under /__admin, in the manner of WireMock: health, create
 * a workspace with given settings, agents and customers, seed more customers, change
 * settings, and read back everything a workspace stored. Tests isolate themselves by
 * creating their own workspace; nothing here wipes shared state.
 */
import { Router } from 'express';
import { ApiError, parse } from '../http.js';
import { createAgentToken, seedCustomer } from '../model.js';
import { createWorkspaceSchema, seedCustomersSchema, settingsPatchSchema } from '../protocol.js';
import type { Store, Workspace } from '../store.js';
import { newId } from '../tokens.js';
import { workspaceOf } from './widget-api.js';

/** A workspace as tests read it back: everything but the secret hashes. */
function dump(ws: Workspace) {
  return {
    ...ws,
    agents: ws.agents.map(({ email, name }) => ({ email, name })),
    visitors: ws.visitors.map(({ tokenHash: _secret, ...visitor }) => visitor),
  };
}

export function adminApi(store: Store, widgetDescription: string): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ ok: true, widget: widgetDescription });
  });

  router.post('/workspaces', async (req, res) => {
    const body = parse(createWorkspaceSchema, req.body);
    const id = body.id ?? newId('ws');
    if (store.workspace(id)) throw new ApiError(409, 'workspace_exists', `workspace ${id} already exists`);
    const emails = body.agents?.map((a) => a.email) ?? [];
    if (new Set(emails).size !== emails.length)
      throw new ApiError(400, 'invalid_body', 'invalid request body: agents: two agents share an email');
    const agents = (body.agents ?? []).map((a) => ({ ...a, ...createAgentToken() }));
    const ws: Workspace = {
      id,
      name: body.name ?? id,
      createdAt: new Date().toISOString(),
      settings: { idMode: body.settings?.idMode ?? 'local', anonymousMessages: body.settings?.anonymousMessages ?? 'merge' },
      seq: 0,
      agents: agents.map(({ email, name, tokenHash }) => ({ email, name, tokenHash })),
      customers: [],
      visitors: [],
      conversations: [],
    };
    // Customers are seeded on a copy first, so a bad customer leaves no workspace behind.
    const draft = structuredClone(ws);
    for (const customer of body.customers ?? []) seedCustomer(draft, customer);
    await store.insertWorkspace(draft);
    res.status(201).json({ ...dump(draft), agents: agents.map(({ email, name, token }) => ({ email, name, token })) });
  });

  router.get('/workspaces/:workspaceId', (req, res) => {
    res.json(dump(workspaceOf(store, req)));
  });

  router.patch('/workspaces/:workspaceId/settings', async (req, res) => {
    const ws = workspaceOf(store, req);
    const settings = parse(settingsPatchSchema, req.body);
    res.json(await store.updateWorkspace(ws.id, (draft) => Object.assign(draft.settings, settings)));
  });

  router.post('/workspaces/:workspaceId/customers', async (req, res) => {
    const ws = workspaceOf(store, req);
    const { customers } = parse(seedCustomersSchema, req.body);
    await store.updateWorkspace(ws.id, (draft) => customers.forEach((c) => seedCustomer(draft, c)));
    res.status(201).json(dump(store.workspace(ws.id)!));
  });

  return router;
}
