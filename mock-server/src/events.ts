/**
 * Server-sent events: each open widget holds one stream for its visitor. A message is pushed
 * to every stream whose visitor currently reads that conversation, so an agent's reply, or a
 * message the same customer wrote on another device, arrives without a reload. A stream is
 * opened with a one-time ticket (StreamTickets), never with the visitor's token.
 */
import type { Response } from 'express';
import type { StreamEvent } from '../../protocol/widget-api.js';
import { StreamTickets } from './stream-tickets.js';

interface Subscriber {
  workspaceId: string;
  visitorId: string;
  res: Response;
}

export class EventHub {
  private readonly subscribers = new Set<Subscriber>();

  constructor(readonly tickets = new StreamTickets()) {}

  subscribe(workspaceId: string, visitorId: string, res: Response): () => void {
    const sub = { workspaceId, visitorId, res };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  /** Sends to the streams of the given visitors of a workspace. */
  publish(workspaceId: string, visitorIds: Iterable<string>, event: StreamEvent): void {
    const targets = new Set(visitorIds);
    for (const sub of this.subscribers) {
      if (sub.workspaceId === workspaceId && targets.has(sub.visitorId)) send(sub.res, event);
    }
  }

  /** Tells a revoked visitor's streams so, and ends them; its unspent tickets are void. */
  close(workspaceId: string, visitorId: string): void {
    this.tickets.revoke((w, v) => w === workspaceId && v === visitorId);
    this.revoke((sub) => sub.workspaceId === workspaceId && sub.visitorId === visitorId);
  }

  /** Ends every stream of a workspace that is gone, telling each it is revoked. */
  closeWorkspace(workspaceId: string): void {
    this.tickets.revoke((w) => w === workspaceId);
    this.revoke((sub) => sub.workspaceId === workspaceId);
  }

  /** The visitors of a workspace whose streams are open, one entry per stream. */
  openStreams(workspaceId: string): string[] {
    return [...this.subscribers].filter((sub) => sub.workspaceId === workspaceId).map((sub) => sub.visitorId);
  }

  /**
   * Ends every stream of a workspace as a dropped connection would: no event, just the end.
   * The control API uses it to test that widgets connect again. Returns how many ended.
   */
  drop(workspaceId: string): number {
    return this.end((sub) => sub.workspaceId === workspaceId);
  }

  private revoke(matches: (sub: Subscriber) => boolean): void {
    this.end(matches, { type: 'revoked' });
  }

  private end(matches: (sub: Subscriber) => boolean, last?: StreamEvent): number {
    let ended = 0;
    for (const sub of [...this.subscribers]) {
      if (!matches(sub)) continue;
      if (last) send(sub.res, last);
      sub.res.end();
      this.subscribers.delete(sub);
      ended += 1;
    }
    return ended;
  }

  closeAll(): void {
    for (const sub of this.subscribers) sub.res.end();
    this.subscribers.clear();
  }
}

export function send(res: Response, event: StreamEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
