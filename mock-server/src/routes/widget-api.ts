/**
 * The API the widget speaks, under /api/v1/workspaces/:workspaceId. A visitor registers and
 * gets an id and a secret token; every later call names the visitor in the path and proves
 * the token in an Authorization header. The event stream, which EventSource opens without
 * headers, takes a one-time ticket in its URL instead, bought with the token: a URL is logged
 * along the way, and the token must not be.
 */
import { Router, type Request, type Response } from 'express';
import * as v from 'valibot';
import type { EventHub } from '../events.js';
import { ApiError, parse } from '../http.js';
import { verifyIdentity } from '../identity.js';
import {
  findVisitor,
  historyPage,
  liveVisitor,
  postVisitorMessage,
  readersOf,
  registerVisitor,
  revokeVisitor,
  sessionView,
  tagVisitor,
  toWire,
} from '../model.js';
import {
  activeUserSchema,
  HISTORY_PAGE_MAX,
  HISTORY_PAGE_SIZE,
  type HistoryPage,
  type WidgetConfig,
} from '../../../protocol/widget-api.js';
import { messageBodySchema } from '../../../protocol/messages.js';
import type { Store } from '../store.js';
import { bearerToken } from '../tokens.js';
import { corsHeaders, originCheck } from './cors.js';
import { recordIdOf, resolveWorkspace, workspaceIn } from './params.js';

const LIMIT_RULE = `a whole number from 1 to ${HISTORY_PAGE_MAX}`;
/** GET …/messages?before=<cursor>&limit=<n>: both optional, each given once. */
const historyQuerySchema = v.object({
  before: v.optional(v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,14}$/, "a cursor from a page's olderCursor"), v.transform(Number))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[0-9]{1,4}$/, LIMIT_RULE),
      v.transform(Number),
      v.minValue(1, LIMIT_RULE),
      v.maxValue(HISTORY_PAGE_MAX, LIMIT_RULE),
    ),
  ),
});

/** Checks a tag's identity proof; the app passes another only to hold it open in a test. */
export type IdentityVerifier = typeof verifyIdentity;

export function widgetApi(store: Store, hub: EventHub, verify: IdentityVerifier = verifyIdentity): Router {
  const router = Router({ mergeParams: true });
  // Headers first, so that a refusal (a bad id, an unknown workspace, a foreign origin) carries them.
  router.use(corsHeaders, resolveWorkspace(store), originCheck);

  const visitorOf = (req: Request, res: Response, token = bearerToken(req.get('authorization'))) => {
    const ws = workspaceIn(res);
    return { ws, visitor: findVisitor(ws.data, recordIdOf(req, 'visitorId'), token) };
  };

  router.get('/config', (_req, res) => {
    const ws = workspaceIn(res);
    const config: WidgetConfig = { workspaceId: ws.id, idMode: ws.data.settings.idMode };
    res.json(config);
  });

  router.post('/visitors', async (_req, res) => {
    res.status(201).json(await workspaceIn(res).update(registerVisitor));
  });

  router.get('/visitors/:visitorId/session', (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    res.json(sessionView(ws.data, visitor));
  });

  // Older history, a page at a time: the page before the cursor the last page gave.
  router.get('/visitors/:visitorId/messages', (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    const { before, limit } = parse(historyQuerySchema, req.query, 'query', 'invalid_query');
    const page: HistoryPage = historyPage(ws.data, visitor, before, limit ?? HISTORY_PAGE_SIZE);
    res.json(page);
  });

  router.post('/visitors/:visitorId/messages', async (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    const { text } = parse(messageBodySchema, req.body);
    const { message, readers } = await ws.update((draft) => {
      const posted = postVisitorMessage(draft, visitor.id, text);
      return { message: toWire(draft, posted.message), readers: readersOf(draft, posted.conversationId) };
    });
    hub.publish(ws.id, readers, { type: 'message', message });
    res.status(201).json(message);
  });

  router.post('/visitors/:visitorId/tag', async (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    const user = parse(activeUserSchema, req.body, 'user');
    // Checked before anything changes: a refused proof attaches nothing and returns no history.
    // tagVisitor checks again that the visitor is live: a reset may land during this wait.
    const verified = await verify(ws.data, user);
    res.json(await ws.update((draft) => tagVisitor(draft, visitor.id, user, verified)));
  });

  router.post('/visitors/:visitorId/reset', async (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    await ws.update((draft) => revokeVisitor(draft, visitor));
    hub.close(ws.id, visitor.id);
    res.status(204).end();
  });

  router.post('/visitors/:visitorId/stream-tickets', async (req, res) => {
    const { ws, visitor } = visitorOf(req, res);
    res.status(201).json(hub.tickets.issue(ws.id, visitor.id));
  });

  router.get('/visitors/:visitorId/events', (req, res) => {
    const ws = workspaceIn(res);
    const visitorId = recordIdOf(req, 'visitorId');
    const how = `POST /visitors/${visitorId}/stream-tickets with the visitor's token in an Authorization header, then open this stream with ?ticket=<ticket>`;
    if (req.query.token !== undefined) {
      throw new ApiError(400, 'token_in_url', `the event stream does not take the visitor token in its URL, where logs keep it: ${how}`);
    }
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    // One answer for a missing, unknown, spent, expired or someone else's ticket.
    const found = ticket && hub.tickets.redeem(ws.id, visitorId, ticket) ? ws.data.visitors.find((v) => v.id === visitorId) : undefined;
    if (!found) {
      throw new ApiError(
        401,
        'invalid_stream_ticket',
        `the stream ticket is missing, unknown, spent or expired (a ticket opens one stream, once): ${how}`,
      );
    }
    const visitor = liveVisitor(found);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    const unsubscribe = hub.subscribe(ws.id, visitor.id, res);
    // Comments keep proxies from timing the stream out; they carry no event.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  return router;
}
