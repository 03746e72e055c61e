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

export class Controller {
  private queue: Promise<unknown> = Promise.resolve();
  private creds: Credentials | undefined;
  private customer: CustomerKey | null = null;
  private stream: EventSource | undefined;
  private epoch = 0;
  private booted = false;

  constructor(
    private readonly client: Client,
    private readonly ids: IdentityStore,
    private readonly view: View,
  ) {}

  /** Loads the stored visitor, or registers a new one, and shows its conversation. */
  start(): void {
    this.enqueue(() => this.ensureVisitor()).catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
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
      await this.ensureVisitor();
      if (this.customer && !sameCustomer(this.customer, user)) await this.startOver();
      const epoch = this.epoch;
      let session: SessionView;
      try {
        session = await this.client.tag(this.creds!, user);
      } catch (err) {
        throw err instanceof CVError ? new CVError(err.code, `CV.user.tag: ${err.message}`, err.status) : err;
      }
      if (epoch !== this.epoch) return; // a reset arrived meanwhile: it wins
      this.customer = { ...(user.id !== undefined ? { id: user.id } : {}), ...(user.email !== undefined ? { email: user.email } : {}) };
      this.view.showSession(session);
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
      await this.ensureVisitor();
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

  private async ensureVisitor(): Promise<void> {
    if (this.booted && this.creds) return;
    const config = await this.client.config();
    this.ids.useMode(config.idMode);
    this.booted = true;
    const stored = this.ids.read();
    if (stored) {
      try {
        const session = await this.client.session(stored);
        this.creds = stored;
        this.customer = session.customer;
        this.epoch += 1;
        this.view.showSession(session);
        this.listen();
        return;
      } catch (err) {
        if (!(err instanceof CVError && err.status === 401)) throw err;
        this.ids.clear(); // revoked or unknown: start as a new visitor
      }
    }
    await this.newVisitor();
  }

  /** Forgets the current visitor everywhere, revokes it on the server, starts a new one. */
  private async startOver(): Promise<void> {
    this.epoch += 1;
    this.view.clear();
    this.customer = null;
    this.stream?.close();
    this.stream = undefined;
    const old = this.creds;
    this.creds = undefined;
    this.ids.clear();
    if (old) {
      await this.client.reset(old).catch((err: unknown) => {
        if (!(err instanceof CVError && err.status === 401)) throw err;
      });
    }
    if (!this.booted) return this.ensureVisitor();
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

  /** Opens the event stream of the current visitor; its events count only for this epoch. */
  private listen(): void {
    this.stream?.close();
    const epoch = this.epoch;
    const creds = this.creds!;
    const stream = new EventSource(this.client.eventsUrl(creds));
    let opened = false;
    stream.addEventListener('open', () => {
      // After a dropped connection, catch up on what was missed while it was down.
      if (opened && epoch === this.epoch) {
        void this.client.session(creds).then((s) => epoch === this.epoch && this.view.showSession(s), () => undefined);
      }
      opened = true;
    });
    stream.addEventListener('message', (event) => {
      if (epoch !== this.epoch) return;
      const data = JSON.parse((event as MessageEvent<string>).data) as { message: Parameters<View['add']>[0] };
      this.view.add(data.message);
    });
    stream.addEventListener('revoked', () => stream.close());
    this.stream = stream;
  }
}
