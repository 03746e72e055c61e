/**
 * The widget's HTTP client for the vendor backend. Every call after registration proves the
 * visitor's token; every failure becomes a CVError carrying the server's own explanation.
 */
import type { ActiveUser, HistoryPage, SessionView, StreamTicket, WidgetConfig } from '../../protocol/widget-api.js';
import type { WireMessage } from '../../protocol/messages.js';
import { CVError } from './errors.js';

export interface Credentials {
  visitorId: string;
  token: string;
}

export class Client {
  private readonly root: string;

  constructor(base: string, workspaceId: string) {
    this.root = `${base}/api/v1/workspaces/${encodeURIComponent(workspaceId)}`;
  }

  config(): Promise<WidgetConfig> {
    return this.request('GET', '/config');
  }

  register(): Promise<Credentials> {
    return this.request('POST', '/visitors');
  }

  session(creds: Credentials): Promise<SessionView> {
    return this.request('GET', `${this.visitorPath(creds)}/session`, creds);
  }

  /** The page of history before `cursor` (a page's olderCursor), oldest first. */
  history(creds: Credentials, cursor: string): Promise<HistoryPage> {
    return this.request('GET', `${this.visitorPath(creds)}/messages?before=${encodeURIComponent(cursor)}`, creds);
  }

  send(creds: Credentials, text: string): Promise<WireMessage> {
    return this.request('POST', `${this.visitorPath(creds)}/messages`, creds, { text });
  }

  tag(creds: Credentials, user: ActiveUser): Promise<SessionView> {
    return this.request('POST', `${this.visitorPath(creds)}/tag`, creds, user);
  }

  /**
   * Revokes the visitor. Sent with `keepalive`: a site's logout often leaves the page as soon as
   * it has called reset(), and a request the page takes with it would leave the customer's
   * visitor valid on the server (the browser then finishes it on its own).
   */
  reset(creds: Credentials): Promise<void> {
    return this.request('POST', `${this.visitorPath(creds)}/reset`, creds, undefined, { keepalive: true });
  }

  /** A one-time ticket for the event stream: the token itself never goes into a URL. */
  streamTicket(creds: Credentials): Promise<StreamTicket> {
    return this.request('POST', `${this.visitorPath(creds)}/stream-tickets`, creds);
  }

  eventsUrl(creds: Credentials, ticket: string): string {
    return `${this.root}${this.visitorPath(creds)}/events?ticket=${encodeURIComponent(ticket)}`;
  }

  private visitorPath(creds: Credentials): string {
    return `/visitors/${encodeURIComponent(creds.visitorId)}`;
  }

  private async request<T>(
    method: string,
    path: string,
    creds?: Credentials,
    body?: unknown,
    options: { keepalive?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = `Bearer ${creds.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        keepalive: options.keepalive ?? false,
      });
    } catch (err) {
      throw new CVError('network', `cannot reach the chat server: ${(err as Error).message}`);
    }
    if (res.status === 204) return undefined as T;
    const payload = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (!res.ok) {
      throw new CVError(
        payload?.error?.code ?? 'http_error',
        payload?.error?.message ?? `the chat server answered ${res.status}`,
        res.status,
      );
    }
    return payload as T;
  }
}
