/**
 * The agent API (/api/v1/workspaces/:id/agent/…), as the vendor's agent console speaks it:
 * the conversations an agent lists, with their customer and assignment. Replies are posted
 * with the same message body as the widget's (messages.ts).
 */
import type { PublicAgent, WireMessage } from './messages.js';

export interface AgentConversation {
  id: string;
  customer: {
    email?: string;
    id?: string;
    firstname?: string;
    lastname?: string;
    gender?: string;
    labels: string[];
    data: Record<string, string | number | boolean>;
  } | null;
  visitorId: string | null;
  /** The assigned agent's email. */
  assignedAgent: string | null;
  messages: (WireMessage & { agent?: PublicAgent })[];
}
