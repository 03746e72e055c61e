/**
 * Server-sent events: each open widget holds one stream for its visitor. A message is pushed
 * to every stream whose visitor currently reads that conversation, so an agent's reply, or a
 * message the same customer wrote on another device, arrives without a reload.
 */
import type { Response } from 'express';
import type { StreamEvent } from './protocol.js';

interface Subscriber {
  workspaceId: string;
  visitorId: string;
  res: Response;
}

export class EventHub {
  private readonly subscribers = new Set<Subscriber>();

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

  /** Tells a revoked visitor's streams so, and ends them. */
  close(workspaceId: string, visitorId: string): void {
    this.revoke((sub) => sub.workspaceId === workspaceId && sub.visitorId === visitorId);
  }

  /** Ends every stream of a workspace that is gone, telling each it is revoked. */
  closeWorkspace(workspaceId: string): void {
    this.revoke((sub) => sub.workspaceId === workspaceId);
  }

  private revoke(matches: (sub: Subscriber) => boolean): void {
    for (const sub of [...this.subscribers]) {
      if (!matches(sub)) continue;
      send(sub.res, { type: 'revoked' });
      sub.res.end();
      this.subscribers.delete(sub);
    }
  }

  closeAll(): void {
    for (const sub of this.subscribers) sub.res.end();
    this.subscribers.clear();
  }
}

export function send(res: Response, event: StreamEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
