/**
 * One-time tickets for the event stream. EventSource cannot send an Authorization header, so
 * whatever opens the stream travels in its URL, where proxies and servers log it. The visitor
 * token must never go there: the widget trades it (in a header) for a ticket that opens one
 * stream of that visitor, once, within a short time, and nothing else. A logged ticket is
 * already spent or about to expire.
 *
 * Tickets live in memory only: they are worth nothing after a restart, and a widget simply
 * asks for a new one.
 */
import { hashToken, newToken } from './tokens.js';

export const STREAM_TICKET_TTL_MS = 30_000;

/** A visitor may hold this many unused tickets; asking for more drops its oldest. */
const MAX_PER_VISITOR = 8;

interface Ticket {
  workspaceId: string;
  visitorId: string;
  expiresAt: number;
}

export class StreamTickets {
  /** By the ticket's hash, in the order they were issued. */
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly ttlMs = STREAM_TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(workspaceId: string, visitorId: string): { ticket: string; expiresInMs: number } {
    this.dropExpired();
    const held = [...this.tickets].filter(([, t]) => t.workspaceId === workspaceId && t.visitorId === visitorId);
    for (const [hash] of held.slice(0, Math.max(0, held.length - MAX_PER_VISITOR + 1))) this.tickets.delete(hash);
    const ticket = newToken();
    this.tickets.set(hashToken(ticket), { workspaceId, visitorId, expiresAt: this.now() + this.ttlMs });
    return { ticket, expiresInMs: this.ttlMs };
  }

  /** Spends the ticket, whatever the answer: true if it was issued for this visitor and is still fresh. */
  redeem(workspaceId: string, visitorId: string, ticket: string): boolean {
    const hash = hashToken(ticket);
    const found = this.tickets.get(hash);
    this.tickets.delete(hash);
    return found !== undefined && found.workspaceId === workspaceId && found.visitorId === visitorId && this.now() < found.expiresAt;
  }

  /** A reset or a deleted workspace voids the tickets it had not spent. */
  revoke(matches: (workspaceId: string, visitorId: string) => boolean): void {
    for (const [hash, t] of this.tickets) if (matches(t.workspaceId, t.visitorId)) this.tickets.delete(hash);
  }

  /** Tickets are kept in the order they were issued, with one lifetime: the expired ones come first. */
  private dropExpired(): void {
    const now = this.now();
    for (const [hash, t] of this.tickets) {
      if (now < t.expiresAt) return;
      this.tickets.delete(hash);
    }
  }
}
