/**
 * An agent of a test's workspace, speaking the agent API with its own token: reads the
 * workspace's conversations and replies in them, as the vendor's agent console would.
 */
import type { APIRequestContext } from '@playwright/test';
import type { AgentConversation } from '../../protocol/agent-api.js';
import type { WireMessage } from '../../protocol/messages.js';
import type { AgentCredentials } from './admin-client.js';

export class AgentClient {
  constructor(
    private readonly request: APIRequestContext,
    private readonly workspaceId: string,
    readonly credentials: AgentCredentials,
  ) {}

  private get root(): string {
    return `/api/v1/workspaces/${this.workspaceId}/agent`;
  }

  private get headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.credentials.token}` };
  }

  async conversations(): Promise<AgentConversation[]> {
    const res = await this.request.get(`${this.root}/conversations`, { headers: this.headers });
    if (!res.ok()) throw new Error(`listing conversations failed: ${res.status()} ${await res.text()}`);
    return (await res.json()) as AgentConversation[];
  }

  async conversationOf(customerEmail: string): Promise<AgentConversation> {
    const found = (await this.conversations()).find((c) => c.customer?.email === customerEmail);
    if (!found) throw new Error(`no conversation for customer ${customerEmail}`);
    return found;
  }

  /** The conversation of the customer the site knows by this id. */
  async conversationOfId(customerId: string): Promise<AgentConversation> {
    const found = (await this.conversations()).find((c) => c.customer?.id === customerId);
    if (!found) throw new Error(`no conversation for customer id ${customerId}`);
    return found;
  }

  async reply(conversationId: string, text: string): Promise<WireMessage> {
    const res = await this.request.post(`${this.root}/conversations/${conversationId}/messages`, { headers: this.headers, data: { text } });
    if (!res.ok()) throw new Error(`replying failed: ${res.status()} ${await res.text()}`);
    return (await res.json()) as WireMessage;
  }
}
