/**
 * The identity lifecycle of the reference widget.
 *
 * Every public call runs through one queue, in the order it was made, so that a tag right
 * after a reset (or the reverse) ends in the state of the last call. Each identity change
 * bumps an epoch: whatever an older call or an older event stream would still put on screen
 * is dropped, so a previous customer's messages never reappear, not even for a frame.
 */
import {
  activeUserSchema,
  summarizeIssues,
  type SessionView,
  type ValidActiveUser,
  type WireMessage,
} from '../../mock-server/src/protocol.js';
import type { Client, Credentials } from './client.js';
import { CVError } from './errors.js';
import type { IdentityStore } from './identity-store.js';
import type { View } from './view.js';

interface CustomerKey {
  id?: string;
  email?: string;
}

function sameCustomer(a: CustomerKey, b: CustomerKey): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return a.email !== undefined && a.email === b.email;
}

/** Resolves once the page's own parser-run and deferred scripts have run. */
function domReady(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

export class Controller {
  private queue: Promise<unknown> = Promise.resolve();
  private configured = false;
  private creds: Credentials | undefined;
  private customer: CustomerKey | null = null;
  private stream: { visitorId: string; source: EventSource } | undefined;
  private epoch = 0;

  constructor(
    private readonly client: Client,
    private readonly ids: IdentityStore,
    private readonly view: View,
  ) {}

  /**
   * Shows the stored visitor's conversation, or starts a new visitor. It waits until the
   * page's own scripts have run (DOMContentLoaded): a signed-in page tags its user by then,
   * and that tag is served first, so a previous customer's history is never shown to the
   * customer the page is now signed in as, not even while the switch happens.
   */
  start(): void {
    void domReady()
      .then(() =>
        this.enqueue(async () => {
          const resumed = await this.ensureVisitor();
          if (resumed) this.show(resumed);
        }),
      )
      .catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
  }

  visitorId(): string | null {
    return this.creds?.visitorId ?? null;
  }

  tag(input: unknown): Promise<void> {
    const parsed = activeUserSchema.safeParse(input);
    if (!parsed.success) {
      return Promise.reject(new CVError('invalid_user', `CV.user.tag: ${summarizeIssues(parsed.error)}`));
    }
    const user: ValidActiveUser = parsed.data;
    return this.enqueue(async () => {
      const resumed = await this.ensureVisitor();
      if (this.customer && !sameCustomer(this.customer, user)) await this.startOver();
      const epoch = this.epoch;
      let session: SessionView;
      try {
        session = await this.client.tag(this.creds!, user);
      } catch (err) {
        // Refused: the visitor stays as it was, and so does the screen.
        if (resumed && epoch === this.epoch) this.show(resumed);
        throw err instanceof CVError ? new CVError(err.code, `CV.user.tag: ${err.message}`, err.status) : err;
      }
      if (epoch !== this.epoch) return; // a reset arrived meanwhile: it wins
      this.customer = { ...(user.id !== undefined ? { id: user.id } : {}), ...(user.email !== undefined ? { email: user.email } : {}) };
      this.show(session);
    });
  }

  reset(): Promise<void> {
    // The panel empties at once, not when the queue reaches this call.
    this.epoch += 1;
    this.view.clear();
    return this.enqueue(() => this.startOver());
  }

  send(text: string): Promise<boolean> {
    return this.enqueue(async () => {
      const resumed = await this.ensureVisitor();
      if (resumed) this.show(resumed);
      const epoch = this.epoch;
      const message = await this.client.send(this.creds!, text);
      if (epoch === this.epoch) this.view.add(message);
      return true;
    }).catch((err: Error) => {
      this.view.showError(`Message not sent: ${err.message}`);
      return false;
    });
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The workspace's settings decide where ids live: read them once. */
  private async configure(): Promise<void> {
    if (this.configured) return;
    const config = await this.client.config();
    this.ids.useMode(config.idMode);
    this.configured = true;
  }

  /**
   * Makes sure there is a current visitor: the stored one if the server still knows it (its
   * session is returned, not shown: the caller decides), or else a new one.
   */
  private async ensureVisitor(): Promise<SessionView | undefined> {
    if (this.creds) return undefined;
    await this.configure();
    const stored = this.ids.read();
    if (stored) {
      try {
        const session = await this.client.session(stored);
        this.creds = stored;
        this.customer = session.customer;
        this.epoch += 1;
        return session;
      } catch (err) {
        if (!(err instanceof CVError && err.status === 401)) throw err;
        this.ids.clear(); // revoked or unknown: start as a new visitor
      }
    }
    await this.newVisitor();
    return undefined;
  }

  /** Forgets the current visitor everywhere, revokes it on the server, starts a new one. */
  private async startOver(): Promise<void> {
    this.epoch += 1;
    this.view.clear();
    this.customer = null;
    this.stream?.source.close();
    this.stream = undefined;
    await this.configure();
    const old = this.creds ?? this.ids.read();
    this.creds = undefined;
    this.ids.clear();
    if (old) {
      await this.client.reset(old).catch((err: unknown) => {
        if (!(err instanceof CVError && err.status === 401)) throw err;
      });
    }
    await this.newVisitor();
  }

  private async newVisitor(): Promise<void> {
    this.creds = await this.client.register();
    this.ids.write(this.creds);
    this.customer = null;
    this.epoch += 1;
    this.view.clear();
    this.listen();
  }

  private show(session: SessionView): void {
    this.view.showSession(session);
    this.listen();
  }

  /** Opens the current visitor's event stream, unless open; its events count only for this epoch. */
  private listen(): void {
    const creds = this.creds!;
    if (this.stream?.visitorId === creds.visitorId) return;
    this.stream?.source.close();
    const epoch = this.epoch;
    const source = new EventSource(this.client.eventsUrl(creds));
    let opened = false;
    source.addEventListener('open', () => {
      // After a dropped connection, catch up on what was missed while it was down.
      if (opened && epoch === this.epoch) {
        void this.client.session(creds).then(
          (s) => epoch === this.epoch && this.view.showSession(s),
          () => undefined,
        );
      }
      opened = true;
    });
    source.addEventListener('message', (event) => {
      if (epoch !== this.epoch) return;
      const data = JSON.parse((event as MessageEvent<string>).data) as { message: WireMessage };
      this.view.add(data.message);
    });
    source.addEventListener('revoked', () => source.close());
    this.stream = { visitorId: creds.visitorId, source };
  }
}
