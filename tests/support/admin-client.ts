/**
 * The suite's handle on the mock server's control namespace (/__admin): create a workspace
 * per test, seed customers, change settings, read back what the server stored.
 */
import type { APIRequestContext } from '@playwright/test';
import type { WorkspaceSettings } from '../../protocol/control-api.js';
import type { Conversation, Customer, Message, Visitor } from '../../mock-server/src/store.js';

export interface AgentCredentials {
  email: string;
  name: string;
  token: string;
}

/** A workspace as /__admin/workspaces/:id returns it (secret hashes left out). */
export interface WorkspaceDump {
  id: string;
  settings: WorkspaceSettings;
  agents: { email: string; name: string }[];
  customers: Customer[];
  visitors: Omit<Visitor, 'tokenHash'>[];
  conversations: Conversation[];
}

export interface SeedCustomer {
  email: string;
  id?: string;
  firstname?: string;
  lastname?: string;
  labels?: string[];
  assignedUser?: string;
  messages?: { from: 'customer' | string; text: string }[];
  /** A long history without a long body: "message 1 of n" … "message n of n" from the customer. */
  generatedMessages?: number;
}

export interface WorkspaceSpec {
  id?: string;
  name?: string;
  settings?: Partial<WorkspaceSettings>;
  identitySecret?: string;
  agents?: readonly { email: string; name: string }[];
  customers?: SeedCustomer[];
}

async function ok<T>(
  response: { ok(): boolean; status(): number; text(): Promise<string>; json(): Promise<unknown> },
  what: string,
): Promise<T> {
  if (!response.ok()) throw new Error(`${what} failed: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

export class AdminClient {
  constructor(private readonly request: APIRequestContext) {}

  async health(): Promise<{ ok: boolean; widget: string }> {
    return ok(await this.request.get('/__admin/health'), 'health');
  }

  async createWorkspace(spec: WorkspaceSpec): Promise<WorkspaceDump & { agents: AgentCredentials[]; identitySecret: string }> {
    return ok(await this.request.post('/__admin/workspaces', { data: spec }), 'creating a workspace');
  }

  async workspace(id: string): Promise<WorkspaceDump> {
    return ok(await this.request.get(`/__admin/workspaces/${id}`), `reading workspace ${id}`);
  }

  async seedCustomers(id: string, customers: SeedCustomer[]): Promise<WorkspaceDump> {
    return ok(await this.request.post(`/__admin/workspaces/${id}/customers`, { data: { customers } }), 'seeding customers');
  }

  /** Deletes a workspace; one already gone is not an error. */
  async deleteWorkspace(id: string): Promise<void> {
    const response = await this.request.delete(`/__admin/workspaces/${id}`);
    if (!response.ok() && response.status() !== 404) {
      throw new Error(`deleting workspace ${id} failed: ${response.status()} ${await response.text()}`);
    }
  }

  /** The visitors whose event streams are open now, one entry per stream. */
  async openStreams(id: string): Promise<string[]> {
    return (await ok<{ open: string[] }>(await this.request.get(`/__admin/workspaces/${id}/streams`), 'listing streams')).open;
  }

  /** Ends every event stream of the workspace, as a dropped connection would; returns how many. */
  async dropStreams(id: string): Promise<number> {
    return (await ok<{ dropped: number }>(await this.request.post(`/__admin/workspaces/${id}/streams/drop`), 'dropping streams')).dropped;
  }

  async updateSettings(id: string, settings: Partial<WorkspaceSettings>): Promise<void> {
    await ok(await this.request.patch(`/__admin/workspaces/${id}/settings`, { data: settings }), 'changing settings');
  }
}

/** A customer as the server stored it, by email. */
export function customerOf(ws: WorkspaceDump, email: string): Customer | undefined {
  return ws.customers.find((c) => c.email === email);
}

/** A visitor as the server stored it, by id. */
export function visitorOf(ws: WorkspaceDump, visitorId: string | undefined): WorkspaceDump['visitors'][number] | undefined {
  return ws.visitors.find((v) => v.id === visitorId);
}

/** The messages of a customer's conversation, oldest first, as the server stored them. */
export function storedHistory(ws: WorkspaceDump, email: string): Message[] {
  const customer = customerOf(ws, email);
  const conversation = ws.conversations.find((c) => c.id === customer?.conversationId);
  return conversation?.messages ?? [];
}

/** The messages of a visitor's conversation (anonymous or not), oldest first, as the server stored them. */
export function visitorHistory(ws: WorkspaceDump, visitorId: string): Message[] {
  const conversationId = visitorOf(ws, visitorId)?.conversationId;
  return ws.conversations.find((c) => c.id === conversationId)?.messages ?? [];
}
