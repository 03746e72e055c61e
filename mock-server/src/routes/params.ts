/**
 * The ids in API paths. A malformed id (traversal-shaped, too long, odd characters) gets a 400
 * that names the rule, before anything looks it up.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from '../http.js';
import type { Store, WorkspaceHandle } from '../store.js';
import { WORKSPACE_ID_PATTERN, WORKSPACE_ID_RULE } from '../../../protocol/control-api.js';

const RECORD_ID = /^[a-z]{1,3}_[A-Za-z0-9_-]{1,64}$/;

function checked(req: Request, name: string, pattern: RegExp, rule: string): string {
  const value = String(req.params[name]);
  if (!pattern.test(value)) {
    throw new ApiError(400, 'invalid_id', `${name} ${JSON.stringify(value.slice(0, 80))} is malformed: ${rule}`, [
      { path: name, message: rule },
    ]);
  }
  return value;
}

/**
 * Looks up the workspace the path names, once per request, for the routes after it to read
 * with `workspaceIn(res)`: a malformed id gets a 400, an unknown one a 404.
 */
export function resolveWorkspace(store: Store): RequestHandler {
  return async (req, res, next) => {
    const id = checked(req, 'workspaceId', WORKSPACE_ID_PATTERN, WORKSPACE_ID_RULE);
    const ws = await store.workspace(id);
    if (!ws) throw new ApiError(404, 'unknown_workspace', `no workspace ${JSON.stringify(id)}`);
    res.locals.workspace = ws;
    next();
  };
}

/** The workspace `resolveWorkspace` found for this request. */
export function workspaceIn(res: Response): WorkspaceHandle {
  const ws = res.locals.workspace as WorkspaceHandle | undefined;
  if (!ws) throw new Error('workspaceIn: no resolveWorkspace ran before this route');
  return ws;
}

/** A visitor's or a conversation's id as the server issues them, such as "v_AbC123". */
export const recordIdOf = (req: Request, name: string): string =>
  checked(req, name, RECORD_ID, 'ids look like "v_AbC123": a short prefix, "_", then letters, digits, "_" or "-"');
