/**
 * Cross-origin access to the widget API, per workspace. A workspace lists the origins whose
 * pages may use it (`allowedOrigins`, "*" for any). A request from another origin is refused
 * with a 403 that says which origin and which setting; the refusal still carries the CORS
 * headers, so that the widget on that page can read why and show it, instead of a bare
 * network error. Preflights are answered for any origin: they change nothing, and the real
 * request is refused anyway.
 *
 * Requests without an Origin header (same-origin GETs, servers, curl) are not browser
 * cross-origin calls; CORS has nothing to say about them, and visitor tokens still guard them.
 * The agent API and the control namespace send no CORS headers at all: no page calls them.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../http.js';
import type { Workspace } from '../store.js';
import { workspaceIn } from './params.js';

function originAllowed(ws: Workspace, origin: string): boolean {
  const wanted = origin.toLowerCase();
  return ws.settings.allowedOrigins.some((allowed) => allowed === '*' || allowed.toLowerCase() === wanted);
}

/** The CORS headers, on every answer to a page (refusals too), and the answer to a preflight. */
export const corsHeaders: RequestHandler = (req, res, next) => {
  res.vary('Origin');
  const origin = req.get('origin');
  if (!origin) return next();
  res.set({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
  });
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

/** Refuses a page whose origin the workspace (resolved before this) does not list. */
export const originCheck: RequestHandler = (req, res, next) => {
  const origin = req.get('origin');
  const ws = workspaceIn(res);
  if (origin && !originAllowed(ws.data, origin)) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      `pages on ${origin} may not use workspace ${ws.id}: add the origin to the workspace's allowedOrigins`,
    );
  }
  next();
};
