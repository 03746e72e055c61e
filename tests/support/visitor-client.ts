/**
 * A visitor as the widget API sees it, without a browser: registered with its own id and token,
 * and every call a widget makes, answered as raw responses so that a test can check refusals.
 * The API-level specs (H2 to H5, C6.2) use it where no page is needed.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import type { WireMessage } from '../../protocol/messages.js';
import type { HistoryPage } from '../../protocol/widget-api.js';

/** A workspace's API (the widget API; the agent API under /agent), under the backend's URL. */
export const workspaceApiPath = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}`;

export class VisitorClient {
  private constructor(
    private readonly api: APIRequestContext,
    readonly workspaceId: string,
    readonly visitorId: string,
    readonly token: string,
  ) {}

  /** Registers a new visitor in the workspace, as a widget does on its first load. */
  static async register(api: APIRequestContext, workspaceId: string): Promise<VisitorClient> {
    const response = await api.post(`${workspaceApiPath(workspaceId)}/visitors`);
    if (response.status() !== 201) throw new Error(`registering a visitor answered ${response.status()}: ${await response.text()}`);
    const { visitorId, token } = (await response.json()) as { visitorId: string; token: string };
    return new VisitorClient(api, workspaceId, visitorId, token);
  }

  /** This visitor's calls with one credential swapped: what someone who guessed an id, or holds
   * another visitor's token, or tries a token in another workspace, would send. */
  impostor(swap: { token?: string; workspaceId?: string }): VisitorClient {
    return new VisitorClient(this.api, swap.workspaceId ?? this.workspaceId, this.visitorId, swap.token ?? this.token);
  }

  /** The same visitor, calling through another API context (a restarted server's, say). */
  via(api: APIRequestContext): VisitorClient {
    return new VisitorClient(api, this.workspaceId, this.visitorId, this.token);
  }

  get path(): string {
    return `${workspaceApiPath(this.workspaceId)}/visitors/${this.visitorId}`;
  }

  get headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  session(): Promise<APIResponse> {
    return this.api.get(`${this.path}/session`, { headers: this.headers });
  }

  /** A page of history: the latest without a cursor, else the one before it. */
  /** The query as fields, or as a raw query string (to send a parameter twice). */
  history(query: { before?: string; limit?: string } | string = {}): Promise<APIResponse> {
    return this.api.get(`${this.path}/messages`, { headers: this.headers, params: query });
  }

  /** Every message, oldest first, read page by page from the latest back to the first. */
  async allMessages(): Promise<WireMessage[]> {
    const pages: WireMessage[][] = [];
    let before: string | undefined;
    do {
      const response = await this.history(before ? { before } : {});
      if (!response.ok()) throw new Error(`reading the history answered ${response.status()}: ${await response.text()}`);
      const page = (await response.json()) as HistoryPage;
      pages.unshift(page.messages);
      before = page.olderCursor ?? undefined;
    } while (before);
    return pages.flat();
  }

  /** A body as JSON, or a string sent as it is with a JSON content type (malformed on purpose). */
  post(endpoint: 'tag' | 'messages', body: unknown): Promise<APIResponse> {
    const raw = typeof body === 'string';
    return this.api.post(`${this.path}/${endpoint}`, {
      headers: raw ? { ...this.headers, 'Content-Type': 'application/json' } : this.headers,
      data: body,
    });
  }

  send(text: string): Promise<APIResponse> {
    return this.post('messages', { text });
  }

  tag(user: Record<string, unknown>): Promise<APIResponse> {
    return this.post('tag', user);
  }

  reset(): Promise<APIResponse> {
    return this.api.post(`${this.path}/reset`, { headers: this.headers });
  }

  /** The event stream's path with a query (`ticket=…`), to open with fetch or to see refused. */
  eventsPath(query: string): string {
    return `${this.path}/events?${query}`;
  }

  streamTicket(): Promise<APIResponse> {
    return this.api.post(`${this.path}/stream-tickets`, { headers: this.headers });
  }
}
