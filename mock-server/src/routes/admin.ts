/**
 * The control namespace for tests, under /__admin, in the manner of WireMock: health, create
 * a workspace with given settings, agents and customers, seed more customers, change
 * settings, read back everything a workspace stored, see and drop its event streams, and
 * delete it. Tests isolate themselves by creating their own workspace and deleting it when
 * done; nothing here wipes shared state.
 */
import { Router, type RequestHandler } from 'express';
import type { EventHub } from '../events.js';
import { ApiError, parse } from '../http.js';
import { newWorkspace, seedCustomer } from '../model.js';
import { createWorkspaceSchema, seedCustomersSchema, settingsPatchSchema } from '../../../protocol/control-api.js';
import type { Store, Workspace } from '../store.js';
import { bearerToken, hashToken, newId, tokenMatches } from '../tokens.js';
import { resolveWorkspace, workspaceIn } from './params.js';

/**
 * The control namespace is open in test mode. Outside it, only to a request that presents the
 * admin token; with no admin token configured, it is shut.
 */
/** Who may use the control namespace. */
export interface AdminAccess {
  /** Test mode opens the control namespace (/__admin) to anyone who can reach the server. */
  testMode: boolean;
  /** Outside test mode, the bearer token that opens the control namespace; without one it stays shut. */
  adminToken?: string;
}

export function adminGuard(options: AdminAccess): RequestHandler {
  const adminHash = options.adminToken ? hashToken(options.adminToken) : undefined;
  return (req, _res, next) => {
    if (options.testMode) return next();
    if (!adminHash) {
      throw new ApiError(
        403,
        'admin_disabled',
        'the control namespace (/__admin) is open only in test mode (--test-mode) or with an admin token (--admin-token)',
      );
    }
    const token = bearerToken(req.get('authorization'));
    if (!token || !tokenMatches(adminHash, token)) {
      throw new ApiError(401, 'invalid_admin_token', 'the control namespace needs the admin token: Authorization: Bearer <admin token>');
    }
    next();
  };
}

/** A workspace as tests read it back: everything but the secrets. */
function dump({ identitySecret: _secret, ...ws }: Workspace) {
  return {
    ...ws,
    agents: ws.agents.map(({ email, name }) => ({ email, name })),
    visitors: ws.visitors.map(({ tokenHash: _secret, ...visitor }) => visitor),
  };
}

export function adminApi(store: Store, hub: EventHub, widgetDescription: string): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ ok: true, widget: widgetDescription });
  });

  router.post('/workspaces', async (req, res) => {
    const spec = parse(createWorkspaceSchema, req.body);
    const id = spec.id ?? newId('ws');
    if (store.has(id)) throw new ApiError(409, 'workspace_exists', `workspace ${id} already exists`);
    const { workspace, agentTokens } = newWorkspace(id, spec);
    await store.insertWorkspace(workspace);
    // Secrets are shown once, here, as a vendor's console would show them.
    res.status(201).json({ ...dump(workspace), identitySecret: workspace.identitySecret, agents: agentTokens });
  });

  router.use('/workspaces/:workspaceId', resolveWorkspace(store));

  router.get('/workspaces/:workspaceId', (_req, res) => {
    res.json(dump(workspaceIn(res).data));
  });

  // Gone at once for everyone: its widgets' streams end and its tokens stop working.
  router.delete('/workspaces/:workspaceId', async (_req, res) => {
    const { id } = workspaceIn(res);
    hub.closeWorkspace(id);
    await store.deleteWorkspace(id);
    res.status(204).end();
  });

  // The visitors whose event streams are open now, one entry per stream.
  router.get('/workspaces/:workspaceId/streams', (_req, res) => {
    res.json({ open: hub.openStreams(workspaceIn(res).id) });
  });

  // A dropped connection, on demand: every stream of the workspace ends, with no event.
  router.post('/workspaces/:workspaceId/streams/drop', (_req, res) => {
    res.json({ dropped: hub.drop(workspaceIn(res).id) });
  });

  router.patch('/workspaces/:workspaceId/settings', async (req, res) => {
    const settings = parse(settingsPatchSchema, req.body);
    res.json(await workspaceIn(res).update((draft) => Object.assign(draft.settings, settings)));
  });

  router.post('/workspaces/:workspaceId/customers', async (req, res) => {
    const { customers } = parse(seedCustomersSchema, req.body);
    const ws = workspaceIn(res);
    await ws.update((draft) => customers.forEach((c) => seedCustomer(draft, c)));
    res.status(201).json(dump(ws.data));
  });

  return router;
}
