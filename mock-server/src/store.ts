/**
 * The mock backend's store: one lowdb document holding every workspace.
 *
 * Writes are transactional per workspace: a change runs against a copy, and only a change
 * that completes replaces the stored workspace and is written to disk, so a request that
 * fails half-way leaves nothing half-written behind.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { DomainError } from './domain-error.js';
import { DEFAULT_SETTINGS, type WorkspaceSettings } from '../../protocol/control-api.js';
import { newToken } from './tokens.js';

export interface Agent {
  email: string;
  name: string;
  tokenHash: string;
}

export interface Customer {
  id: string;
  externalId?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  gender?: string;
  labels: string[];
  assignedUser?: string;
  data: Record<string, string | number | boolean>;
  conversationId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Visitor {
  id: string;
  tokenHash: string;
  createdAt: string;
  revokedAt?: string;
  customerId?: string;
  /** Set once the visitor writes or is tagged: anonymous visitors own no conversation until then. */
  conversationId?: string;
}

export interface Message {
  id: string;
  seq: number;
  author: 'visitor' | 'agent';
  agentEmail?: string;
  visitorId?: string;
  text: string;
  createdAt: string;
}

export interface Conversation {
  id: string;
  customerId?: string;
  /** The anonymous visitor who started it, while it belongs to no customer. */
  visitorId?: string;
  assignedAgent?: string;
  messages: Message[];
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
  settings: WorkspaceSettings;
  /** Signs identities for identity verification. Kept as is: HMAC checking needs the secret itself. */
  identitySecret: string;
  /** Last message sequence number issued: messages sort by it. */
  seq: number;
  agents: Agent[];
  customers: Customer[];
  visitors: Visitor[];
  conversations: Conversation[];
}

export interface Data {
  workspaces: Record<string, Workspace>;
}

export class Store {
  constructor(private readonly db: Low<Data>) {}

  workspace(id: string): Workspace | undefined {
    return Object.hasOwn(this.db.data.workspaces, id) ? this.db.data.workspaces[id] : undefined;
  }

  /** Runs `change` on a copy of the workspace; commits and persists only if it returns. */
  async updateWorkspace<T>(id: string, change: (ws: Workspace) => T): Promise<T> {
    const current = this.workspace(id);
    // Deleted while the request was on its way: the same answer as if it had come later.
    if (!current) throw new DomainError('not_found', 'unknown_workspace', `no workspace ${JSON.stringify(id)}`);
    const draft = structuredClone(current);
    const result = change(draft);
    this.db.data.workspaces[id] = draft;
    await this.db.write();
    return result;
  }

  async insertWorkspace(ws: Workspace): Promise<void> {
    this.db.data.workspaces[ws.id] = ws;
    await this.db.write();
  }

  async deleteWorkspace(id: string): Promise<void> {
    delete this.db.data.workspaces[id];
    await this.db.write();
  }
}

const emptyData = (): Data => ({ workspaces: {} });

/**
 * Opens the store. A file path gives a JSON file that survives restarts (written atomically
 * by lowdb's steno writer); `undefined` gives an in-memory store. lowdb's JSONFilePreset is
 * avoided on purpose: it silently swaps in a memory adapter when NODE_ENV is "test".
 */
export async function openStore(file?: string, opts: { reset?: boolean } = {}): Promise<Store> {
  let db: Low<Data>;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    db = new Low<Data>(new JSONFile<Data>(file), emptyData());
  } else {
    db = new Low<Data>(new Memory<Data>(), emptyData());
  }
  if (opts.reset) {
    await db.write();
  } else {
    await db.read();
    if (!db.data || typeof db.data !== 'object' || typeof db.data.workspaces !== 'object') {
      throw new Error(`${file ?? 'store'} does not hold a store document ({"workspaces": {...}})`);
    }
    // Workspaces stored by an earlier version: give them the settings and secret added since.
    for (const ws of Object.values(db.data.workspaces)) {
      ws.settings = { ...DEFAULT_SETTINGS, ...ws.settings };
      ws.identitySecret ??= newToken();
    }
  }
  return new Store(db);
}
