/**
 * The identity rules of the vendor backend, as functions over one workspace document.
 *
 * Every function that changes a workspace is called on a draft inside a workspace handle's
 * `update` (see store.ts), checks everything that can fail before it changes anything, and
 * throws a DomainError to refuse; the draft is then dropped and nothing is kept.
 */
import { DomainError } from './domain-error.js';
import type { VerifiedIdentity } from './identity.js';
import {
  ACTIVE_USER_FIELDS,
  HISTORY_PAGE_SIZE,
  type HistoryPage,
  type SessionView,
  type ValidActiveUser,
} from '../../protocol/widget-api.js';
import type { PublicAgent, WireMessage } from '../../protocol/messages.js';
import { DEFAULT_SETTINGS, type CreateWorkspace, type SeedCustomer } from '../../protocol/control-api.js';
import type { Conversation, Customer, Message, Visitor, Workspace } from './store.js';
import { hashToken, newId, newToken, tokenMatches } from './tokens.js';

const now = () => new Date().toISOString();

export function findVisitor(ws: Workspace, visitorId: string, token: string | undefined): Visitor {
  const visitor = ws.visitors.find((v) => v.id === visitorId);
  // One answer for unknown id, wrong token and revoked token: a guessed id learns nothing.
  if (!visitor || !token || !tokenMatches(visitor.tokenHash, token)) {
    throw new DomainError('unauthenticated', 'invalid_visitor_token', 'the visitor id and token do not match a visitor of this workspace');
  }
  return liveVisitor(visitor);
}

/** The visitor, unless a reset revoked it. */
export function liveVisitor(visitor: Visitor): Visitor {
  if (visitor.revokedAt) {
    throw new DomainError('unauthenticated', 'visitor_revoked', 'this visitor was reset; its token no longer opens anything');
  }
  return visitor;
}

export function registerVisitor(ws: Workspace): { visitorId: string; token: string } {
  const token = newToken();
  const visitor: Visitor = { id: newId('v'), tokenHash: hashToken(token), createdAt: now() };
  ws.visitors.push(visitor);
  return { visitorId: visitor.id, token };
}

export function revokeVisitor(ws: Workspace, visitor: Visitor): void {
  const draft = ws.visitors.find((v) => v.id === visitor.id);
  if (draft) draft.revokedAt = now();
}

function agentOf(ws: Workspace, email: string | undefined): PublicAgent | null {
  const agent = email ? ws.agents.find((a) => a.email === email) : undefined;
  return agent ? { email: agent.email, name: agent.name } : null;
}

function requireAgent(ws: Workspace, email: string, field: string): void {
  if (!ws.agents.some((a) => a.email === email)) {
    throw new DomainError('unprocessable', 'unknown_agent', `${field} "${email}" is not an agent of workspace ${ws.id}`, [
      { path: field, message: 'not an agent of this workspace' },
    ]);
  }
}

export function toWire(ws: Workspace, m: Message): WireMessage {
  const agent = m.author === 'agent' ? agentOf(ws, m.agentEmail) : null;
  return { id: m.id, seq: m.seq, author: m.author, ...(agent ? { agent } : {}), text: m.text, createdAt: m.createdAt };
}

function conversation(ws: Workspace, id: string | undefined): Conversation | undefined {
  return id ? ws.conversations.find((c) => c.id === id) : undefined;
}

export function sessionView(ws: Workspace, visitor: Visitor): SessionView {
  const conv = conversation(ws, visitor.conversationId);
  const customer = visitor.customerId ? ws.customers.find((c) => c.id === visitor.customerId) : undefined;
  return {
    visitorId: visitor.id,
    customer: customer
      ? {
          ...(customer.externalId ? { id: customer.externalId } : {}),
          ...(customer.email ? { email: customer.email } : {}),
          ...(customer.firstname ? { firstname: customer.firstname } : {}),
          ...(customer.lastname ? { lastname: customer.lastname } : {}),
          labels: customer.labels,
        }
      : null,
    assignedAgent: agentOf(ws, conv?.assignedAgent),
    ...historyPage(ws, visitor),
  };
}

/**
 * A page of the visitor's conversation, oldest first: the `limit` messages before the cursor
 * (the latest ones without one). The cursor is the sequence number of the oldest message the
 * reader has, as a string: pages never overlap and never skip, whatever is posted meanwhile.
 */
export function historyPage(ws: Workspace, visitor: Visitor, before?: number, limit = HISTORY_PAGE_SIZE): HistoryPage {
  const messages = conversation(ws, visitor.conversationId)?.messages ?? [];
  // Messages are kept in sequence order: the first one at or after the cursor, by bisection.
  let end = messages.length;
  if (before !== undefined) {
    let lo = 0;
    while (lo < end) {
      const mid = (lo + end) >> 1;
      if (messages[mid]!.seq < before) lo = mid + 1;
      else end = mid;
    }
  }
  const start = Math.max(0, end - limit);
  return {
    messages: messages.slice(start, end).map((m) => toWire(ws, m)),
    olderCursor: start > 0 ? String(messages[start]!.seq) : null,
  };
}

/** Visitors whose widget shows this conversation: they get its new messages pushed. */
export function readersOf(ws: Workspace, conversationId: string): string[] {
  return ws.visitors.filter((v) => v.conversationId === conversationId && !v.revokedAt).map((v) => v.id);
}

function appendMessage(ws: Workspace, conv: Conversation, fields: Omit<Message, 'id' | 'seq' | 'createdAt'>): Message {
  ws.seq += 1;
  const message: Message = { id: newId('m'), seq: ws.seq, createdAt: now(), ...fields };
  conv.messages.push(message);
  return message;
}

export function postVisitorMessage(ws: Workspace, visitorId: string, text: string): { message: Message; conversationId: string } {
  const visitor = liveVisitor(ws.visitors.find((v) => v.id === visitorId)!);
  let conv = conversation(ws, visitor.conversationId);
  if (!conv) {
    conv = { id: newId('c'), visitorId: visitor.id, messages: [] };
    ws.conversations.push(conv);
    visitor.conversationId = conv.id;
  }
  const message = appendMessage(ws, conv, { author: 'visitor', visitorId: visitor.id, text });
  return { message, conversationId: conv.id };
}

export function postAgentMessage(ws: Workspace, conversationId: string, agentEmail: string, text: string): Message {
  const conv = conversation(ws, conversationId);
  if (!conv) throw new DomainError('not_found', 'unknown_conversation', `no conversation ${conversationId} in workspace ${ws.id}`);
  return appendMessage(ws, conv, { author: 'agent', agentEmail, text });
}

/**
 * The site's own id, when given, names the customer; otherwise the email does. A customer
 * first known by email keeps its history when the site later adds its id. An email that
 * identity verification did not cover is no key: it cannot open another customer's history,
 * and it cannot be given to a second customer.
 */
function findCustomer(ws: Workspace, key: { id?: string; email?: string }, emailIsKey = true): Customer | undefined {
  const byId = key.id === undefined ? undefined : ws.customers.find((c) => c.externalId === key.id);
  if (key.email === undefined) return byId;
  const byEmail = ws.customers.find((c) => c.email === key.email);
  const conflict = byId !== undefined || (key.id !== undefined && byEmail?.externalId !== undefined) || !emailIsKey;
  if (byEmail && byEmail !== byId && conflict) {
    throw new DomainError('conflict', 'email_taken', `email ${key.email} belongs to another customer`, [
      { path: 'email', message: 'belongs to another customer' },
    ]);
  }
  return byId ?? byEmail;
}

function newCustomer(ws: Workspace): Customer {
  const conv: Conversation = { id: newId('c'), messages: [] };
  const customer: Customer = {
    id: newId('cus'),
    labels: [],
    data: {},
    conversationId: conv.id,
    createdAt: now(),
    updatedAt: now(),
  };
  conv.customerId = customer.id;
  ws.conversations.push(conv);
  ws.customers.push(customer);
  return customer;
}

function applyProfile(ws: Workspace, customer: Customer, user: ValidActiveUser): void {
  if (user.id !== undefined) customer.externalId = user.id;
  if (user.email !== undefined) customer.email = user.email;
  if (user.firstname !== undefined) customer.firstname = user.firstname;
  if (user.lastname !== undefined) customer.lastname = user.lastname;
  if (user.gender !== undefined) customer.gender = user.gender;
  if (user.labels !== undefined) customer.labels = [...new Set(user.labels)];
  for (const [key, value] of Object.entries(user.additionalTaggingData ?? {})) {
    if ((ACTIVE_USER_FIELDS as readonly string[]).includes(key)) continue;
    if (value === null) delete customer.data[key];
    else customer.data[key] = value;
  }
  if (user.assignedUser !== undefined) {
    customer.assignedUser = user.assignedUser;
    conversation(ws, customer.conversationId)!.assignedAgent = user.assignedUser;
  }
  customer.updatedAt = now();
}

/**
 * Attaches the visitor to the customer the user names, creating the customer if new. What
 * the visitor wrote anonymously moves into the customer's conversation when the workspace
 * merges anonymous messages (the default); otherwise it stays an anonymous conversation.
 */
export function tagVisitor(
  ws: Workspace,
  visitorId: string,
  user: ValidActiveUser,
  verified: VerifiedIdentity | 'unverified',
): SessionView {
  // Checked again here, inside the write: a reset may have landed while the proof was checked.
  const visitor = liveVisitor(ws.visitors.find((v) => v.id === visitorId)!);
  if (user.assignedUser !== undefined) requireAgent(ws, user.assignedUser, 'assignedUser');
  const emailIsKey = verified === 'unverified' || (user.email !== undefined && verified.email === user.email);
  const existing = findCustomer(ws, user, emailIsKey);
  if (visitor.customerId && visitor.customerId !== existing?.id) {
    throw new DomainError(
      'conflict',
      'visitor_already_identified',
      'this visitor is tagged as another customer: reset it before tagging a new one',
    );
  }
  const customer = existing ?? newCustomer(ws);
  applyProfile(ws, customer, user);

  const target = conversation(ws, customer.conversationId)!;
  const anonymous = conversation(ws, visitor.conversationId);
  if (anonymous && anonymous.id !== target.id && !anonymous.customerId && ws.settings.anonymousMessages !== 'separate') {
    target.messages.push(...anonymous.messages);
    target.messages.sort((a, b) => a.seq - b.seq);
    ws.conversations = ws.conversations.filter((c) => c.id !== anonymous.id);
  }
  visitor.customerId = customer.id;
  visitor.conversationId = target.id;
  return sessionView(ws, visitor);
}

export function seedCustomer(ws: Workspace, seed: SeedCustomer): void {
  if (seed.assignedUser) requireAgent(ws, seed.assignedUser, 'assignedUser');
  for (const m of seed.messages ?? []) if (m.from !== 'customer') requireAgent(ws, m.from, 'messages.from');
  if (ws.customers.some((c) => c.email === seed.email)) {
    throw new DomainError('conflict', 'customer_exists', `workspace ${ws.id} already has a customer ${seed.email}`);
  }
  const customer = newCustomer(ws);
  applyProfile(ws, customer, { ...seed, email: seed.email });
  const conv = conversation(ws, customer.conversationId)!;
  for (let i = 1; i <= (seed.generatedMessages ?? 0); i++) {
    appendMessage(ws, conv, { author: 'visitor', text: `message ${i} of ${seed.generatedMessages}` });
  }
  for (const m of seed.messages ?? []) {
    appendMessage(
      ws,
      conv,
      m.from === 'customer' ? { author: 'visitor', text: m.text } : { author: 'agent', agentEmail: m.from, text: m.text },
    );
  }
}

/**
 * A new workspace as the control namespace describes it, with its customers seeded (a bad
 * customer throws, and nothing exists yet to keep). The agents' tokens are returned beside it,
 * once: the workspace keeps only their hashes.
 */
export function newWorkspace(id: string, spec: CreateWorkspace): { workspace: Workspace; agentTokens: PublicAgentToken[] } {
  const agentTokens = (spec.agents ?? []).map((a) => ({ email: a.email, name: a.name, token: newToken() }));
  const workspace: Workspace = {
    id,
    name: spec.name ?? id,
    createdAt: now(),
    settings: { ...DEFAULT_SETTINGS, ...spec.settings },
    identitySecret: spec.identitySecret ?? newToken(),
    seq: 0,
    agents: agentTokens.map(({ email, name, token }) => ({ email, name, tokenHash: hashToken(token) })),
    customers: [],
    visitors: [],
    conversations: [],
  };
  for (const customer of spec.customers ?? []) seedCustomer(workspace, customer);
  return { workspace, agentTokens };
}

/** An agent and the token that lets them reply, as shown once when their workspace is made. */
export interface PublicAgentToken {
  email: string;
  name: string;
  token: string;
}
