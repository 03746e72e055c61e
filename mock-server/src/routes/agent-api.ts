/**
 * The agents' side, under /api/v1/workspaces/:workspaceId/agent: list the workspace's
 * conversations with their customer and assignment, and reply as the agent whose token is
 * presented in the Authorization header.
 */
import { Router, type Request, type Response } from 'express';
import type { AgentConversation } from '../../../protocol/agent-api.js';
import type { EventHub } from '../events.js';
import { ApiError, parse } from '../http.js';
import { postAgentMessage, readersOf, toWire } from '../model.js';
import { messageBodySchema } from '../../../protocol/messages.js';
import type { Store } from '../store.js';
import { bearerToken, tokenMatches } from '../tokens.js';
import { recordIdOf, resolveWorkspace, workspaceIn } from './params.js';

export function agentApi(store: Store, hub: EventHub): Router {
  const router = Router({ mergeParams: true });
  router.use(resolveWorkspace(store));

  const agentOf = (req: Request, res: Response) => {
    const ws = workspaceIn(res);
    const token = bearerToken(req.get('authorization'));
    const agent = token ? ws.data.agents.find((a) => tokenMatches(a.tokenHash, token)) : undefined;
    if (!agent)
      throw new ApiError(
        401,
        'invalid_agent_token',
        'the agent API needs an agent token of this workspace (Authorization: Bearer <token>)',
      );
    return { ws, agent };
  };

  router.get('/conversations', async (req, res) => {
    const ws = agentOf(req, res).ws.data;
    res.json(
      ws.conversations
        .filter((c) => c.messages.length > 0 || c.customerId)
        .map((c): AgentConversation => {
          const customer = ws.customers.find((cu) => cu.id === c.customerId);
          return {
            id: c.id,
            customer: customer
              ? {
                  email: customer.email,
                  id: customer.externalId,
                  firstname: customer.firstname,
                  lastname: customer.lastname,
                  gender: customer.gender,
                  labels: customer.labels,
                  data: customer.data,
                }
              : null,
            visitorId: c.visitorId ?? null,
            assignedAgent: c.assignedAgent ?? null,
            messages: c.messages.map((m) => toWire(ws, m)),
          };
        }),
    );
  });

  router.post('/conversations/:conversationId/messages', async (req, res) => {
    const { ws, agent } = agentOf(req, res);
    const { text } = parse(messageBodySchema, req.body);
    const conversationId = recordIdOf(req, 'conversationId');
    const { message, readers } = await ws.update((draft) => {
      const posted = postAgentMessage(draft, conversationId, agent.email, text);
      return { message: toWire(draft, posted), readers: readersOf(draft, conversationId) };
    });
    hub.publish(ws.id, readers, { type: 'message', message });
    res.status(201).json(message);
  });

  return router;
}
