/**
 * The identity lifecycle of the reference widget.
 *
 * Every public call runs through one queue, in the order it was made, so that a tag right
 * after a reset (or the reverse) ends in the state of the last call. Each identity change
 * bumps an epoch: whatever an older call or an older event stream would still put on screen
 * is dropped, so a previous customer's messages never reappear, not even for a frame. A
 * reset reaches the other tabs of the browser (TabSync), and a page restored from the
 * back/forward cache checks who the visitor is now before it shows anything.
 */
import * as v from 'valibot';
import { activeUserSchema, type HistoryPage, type SessionView, type ValidActiveUser } from '../../protocol/widget-api.js';
import type { WireMessage } from '../../protocol/messages.js';
import { summarizeIssues } from '../../protocol/issues.js';
import type { IdMode } from '../../protocol/widget-api.js';
import type { Client, Credentials } from './client.js';
import { CVError, isRevoked } from './errors.js';
import { EventStream } from './event-stream.js';
import type { IdentityStore } from './identity-store.js';
import { emit } from './lifecycle-events.js';
import { domReady, followBackForwardCache } from './page-lifecycle.js';
import { TabSync, type TabMessage } from './tab-sync.js';
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
  private idMode: IdMode | undefined;
  private creds: Credentials | undefined;
  private customer: CustomerKey | null = null;
  /** A new anonymous visitor that has neither written, been written to, nor been tagged:
   * resetting it would change nothing, so reset leaves it be (reset is idempotent). */
  private pristine = false;
  private readonly stream: EventStream;
  private epoch = 0;
  /** Resets asked for so far (here or in another tab). A tag made before the latest one still
   * runs, in order, but shows nothing: the reset that follows it decides what is on screen. */
  private resets = 0;
  /** Resets called in this tab whose turn in the queue has not come yet. Until it comes, no
   * event stream is opened: the visitor it would listen to is about to be replaced, and what it
   * fetched could already be the customer being reset (a tag just before the reset attaches
   * the visitor; only the reset decides the screen). The reset opens the next visitor's. */
  private resetsQueued = 0;
  /** Identity calls made so far in this tab (tags and resets, in call order). A tag shows
   * nothing if a later identity call was made before its answer came: the last call decides
   * the screen, so a tag superseded in the same tick never flashes its customer's history. */
  private identityCalls = 0;
  /** Tags and resets called but not finished: while one is, it decides the screen, not a catch-up read. */
  private identityPending = 0;
  /** Where the older history on screen ends, for the epoch it was shown in (null: at the first message). */
  private older?: { epoch: number; cursor: string | null };
  /** The epoch an older page is being loaded for, if one is. */
  private loadingOlder?: number;
  private readonly tabs: TabSync;

  constructor(
    private readonly client: Client,
    private readonly ids: IdentityStore,
    private readonly view: View,
    workspaceId: string,
  ) {
    this.tabs = new TabSync(`cv:${workspaceId}`, (message) => this.onTabMessage(message));
    this.stream = new EventStream(client);
  }

  /**
   * Shows the stored visitor's conversation, or starts a new visitor. It waits until the
   * page's own scripts have run (DOMContentLoaded): a signed-in page tags its user by then,
   * and that tag is served first, so a previous customer's history is never shown to the
   * customer the page is now signed in as, not even while the switch happens.
   */
  start(): void {
    this.tabs.open();
    followBackForwardCache({ stored: () => this.suspend(), restored: () => this.resume() });
    void domReady()
      .then(() => this.enqueue(() => this.ensureVisitorShown()))
      .catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
  }

  visitorId(): string | null {
    return this.creds?.visitorId ?? null;
  }

  tag(input: unknown): Promise<void> {
    const parsed = v.safeParse(activeUserSchema, input);
    if (!parsed.success) {
      return Promise.reject(this.rejected(new CVError('invalid_user', `CV.user.tag: ${summarizeIssues(parsed.issues)}`)));
    }
    const user: ValidActiveUser = parsed.output;
    const resetsAtCall = this.resets;
    const callAt = ++this.identityCalls;
    this.identityPending += 1;
    return this.pending(async () => {
      const resumed = await this.ensureVisitor();
      // In local mode the tabs share the visitor a switch replaces: they empty at once, and take
      // up the new one once it is tagged (or refused), as after a logout in one of them.
      const switching = this.customer !== null && !sameCustomer(this.customer, user);
      const switchShared = switching && this.idMode === 'local';
      if (switching) {
        // Another customer at the same screen: what the first one typed and did not send goes too.
        this.view.forgetDraft();
        if (switchShared) this.tabs.post({ type: 'reset-started' });
        await this.startOver();
      }
      const epoch = this.epoch;
      let session: SessionView;
      try {
        session = await this.client.tag(this.creds!, user);
      } catch (err) {
        // Refused: the visitor stays as it was, and so does the screen.
        if (resumed && epoch === this.epoch) this.show(resumed);
        throw this.rejected(err instanceof CVError ? new CVError(err.code, `CV.user.tag: ${err.message}`, err.status) : (err as Error));
      } finally {
        if (switchShared) this.tabs.post({ type: 'reset-done', ...this.creds! });
      }
      // The server tagged this visitor: that is now its state, whatever is shown.
      const identified = !this.customer;
      this.customer = { ...(user.id !== undefined ? { id: user.id } : {}), ...(user.email !== undefined ? { email: user.email } : {}) };
      this.pristine = false;
      if (epoch !== this.epoch || this.resets !== resetsAtCall) return; // a reset came meanwhile: it decides the screen
      if (this.identityCalls !== callAt) return; // a later tag was called: it decides the screen
      this.show(session);
      if (identified) emit('identity-changed', { visitorId: this.creds!.visitorId, customer: this.customer });
    });
  }

  reset(): Promise<void> {
    // The panel empties at once, here and in the other tabs, not when the queue gets here.
    this.resets += 1;
    this.identityCalls += 1;
    this.epoch += 1;
    this.view.clear();
    this.view.forgetDraft();
    this.forgetStoredIdentity();
    // Tabs that are elsewhere now (another site, the back/forward cache) hear nothing of this
    // logout: the count tells them when they come back.
    this.ids.noteLogout();
    this.tabs.post({ type: 'reset-started' });
    this.resetsQueued += 1;
    this.identityPending += 1;
    return this.pending(async () => {
      this.resetsQueued -= 1;
      await this.startOver();
      this.tabs.post({ type: 'reset-done', ...this.creds! });
      emit('reset', { visitorId: this.creds!.visitorId });
    });
  }

  send(text: string): Promise<boolean> {
    const resetsAtCall = this.resets;
    return this.enqueue(async () => {
      // Typed before a reset: it belonged to the previous visitor, so it is not sent as the new one.
      if (this.resets !== resetsAtCall) return false;
      await this.ensureVisitorShown();
      const epoch = this.epoch;
      const message = await this.client.send(this.creds!, text);
      this.pristine = false;
      if (epoch === this.epoch) {
        this.view.add(message);
        this.view.showError(''); // what went wrong before is mended: the message is through
      }
      return true;
    }).catch((err: Error) => {
      this.view.showError(`Message not sent: ${err.message}`);
      return false;
    });
  }

  /** Enqueues a tag or reset, counted as pending until it is done. */
  private pending<T>(op: () => Promise<T>): Promise<T> {
    return this.enqueue(op).finally(() => {
      this.identityPending -= 1;
    });
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private rejected(err: Error): Error {
    emit('identity-rejected', { code: err instanceof CVError ? err.code : 'error', message: err.message });
    return err;
  }

  /** The workspace's settings decide where ids live: read them once. */
  private async configure(): Promise<void> {
    if (this.idMode) return;
    const config = await this.client.config();
    this.ids.useMode(config.idMode);
    this.idMode = config.idMode;
  }

  /**
   * Makes sure there is a current visitor: the stored one if the server still knows it (its
   * session is returned, not shown: the caller decides), or else a new one.
   */
  private async ensureVisitor(): Promise<SessionView | undefined> {
    if (this.creds) return undefined;
    await this.configure();
    const stored = this.ids.read();
    if (stored?.outlivedLogout) {
      // The user logged out in another tab while this one was elsewhere: never resume this
      // visitor. It is revoked first, so that a failure leaves it stored, to be revoked next time.
      await this.revoke(stored);
      this.ids.clear();
    } else if (stored) {
      const session = await this.takeUp(stored);
      if (session) return session;
      this.ids.clear(); // revoked or unknown: start as a new visitor
    }
    await this.newVisitor();
    return undefined;
  }

  /** Makes a visitor the current one if the server still knows it; its session, or undefined. */
  private async takeUp(creds: Credentials): Promise<SessionView | undefined> {
    try {
      const session = await this.client.session(creds);
      this.creds = { visitorId: creds.visitorId, token: creds.token };
      this.customer = session.customer;
      this.pristine = !session.customer && session.messages.length === 0;
      this.epoch += 1;
      return session;
    } catch (err) {
      if (!isRevoked(err)) throw err;
      return undefined;
    }
  }

  /** ensureVisitor, and a resumed visitor's conversation on screen. */
  private async ensureVisitorShown(): Promise<void> {
    const resumed = await this.ensureVisitor();
    if (resumed) this.show(resumed);
  }

  /** Forgets the current visitor everywhere, revokes it on the server, starts a new one. */
  private async startOver(): Promise<void> {
    this.epoch += 1;
    this.view.clear();
    await this.configure();
    if (this.pristine && this.creds && (await this.untouched(this.creds))) {
      // Nothing to forget; only the event stream must follow the new epoch. Stored again, it
      // has outlived no logout.
      this.ids.write(this.creds);
      this.closeStream();
      this.listen();
      return;
    }
    this.customer = null;
    this.closeStream();
    const old = this.creds ?? this.ids.read();
    this.creds = undefined;
    this.ids.clear();
    if (old) await this.revoke(old);
    await this.newVisitor();
  }

  /**
   * Whether the server still knows this visitor as one who has done nothing. This tab's own
   * record is not enough: a tab it shares the visitor with (one opened with `window.open` copies
   * the id) may have signed it in or written as it meanwhile.
   */
  private untouched(creds: Credentials): Promise<boolean> {
    return this.client.session(creds).then(
      (s) => !s.customer && s.messages.length === 0,
      () => false,
    );
  }

  /** Revokes a visitor on the server; one the server no longer knows is as good as revoked. */
  private async revoke(creds: Credentials): Promise<void> {
    await this.client.reset(creds).catch((err: unknown) => {
      if (!isRevoked(err)) throw err;
    });
  }

  private async newVisitor(): Promise<void> {
    this.creds = await this.client.register();
    this.ids.write(this.creds);
    this.customer = null;
    this.pristine = true;
    this.epoch += 1;
    this.view.clear();
    this.listen();
    emit('identity-changed', { visitorId: this.creds.visitorId, customer: null });
  }

  private show(session: SessionView): void {
    this.view.showSession(session);
    this.older = { epoch: this.epoch, cursor: session.olderCursor };
    this.view.setEarlier(session.olderCursor ? 'more' : 'none');
    this.listen();
    emit('history-loaded', { visitorId: session.visitorId, messages: session.messages.length });
  }

  private onTabMessage(message: TabMessage): void {
    if (message.type === 'reset-started') {
      this.resets += 1;
      this.epoch += 1;
      this.view.clear();
      this.view.forgetDraft();
      this.closeStream();
      if (this.idMode === 'session') {
        // This tab's visitor is its own: it starts over now, not when the other tab is done (a
        // logout that leaves its page at once never says it is done).
        this.forgetStoredIdentity();
        this.afterTabReset(() => this.startOver());
      } else {
        // The tabs share one visitor, which the resetting tab replaces: until its new one is
        // known, nothing here may still act as the customer.
        this.creds = undefined;
        this.customer = null;
      }
      return;
    }
    if (this.idMode === 'session') return;
    this.afterTabReset(async () => {
      // The tab that reset names the new visitor: adopt it (or, if it is gone already, whatever
      // the storage holds by now).
      if (this.creds?.visitorId === message.visitorId) return this.listen();
      this.closeStream();
      this.creds = undefined;
      this.customer = null;
      const session = await this.takeUp(message);
      if (session) this.show(session);
      else await this.ensureVisitorShown();
    });
  }

  /** Runs a reset made in another tab through the queue, and announces it with this tab's visitor after it. */
  private afterTabReset(op: () => Promise<void>): void {
    void this.enqueue(async () => {
      await op();
      emit('reset', { visitorId: this.creds!.visitorId });
    }).catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
  }

  /**
   * A reset forgets the stored visitor at once, not when the queue reaches it: a reload in the
   * meantime must not bring the customer back (C10.3). The visitor stays in memory, so that the
   * reset can still revoke it, or store it again if the server says it has done nothing (even a
   * visitor that has done nothing here may have been signed in by a tab that shares it).
   */
  private forgetStoredIdentity(): void {
    if (this.creds) this.ids.clear();
  }

  /** Going into the back/forward cache: leave nothing on screen to be restored, hold no connection. */
  private suspend(): void {
    this.epoch += 1;
    this.view.clear();
    this.closeStream();
    this.tabs.close();
  }

  /** Back from the back/forward cache: the visitor may have changed meanwhile (a logout). */
  private resume(): void {
    this.tabs.open();
    this.epoch += 1;
    void this.enqueue(async () => {
      // Storage says who the visitor is now; the server says whether it is still valid.
      this.creds = undefined;
      this.customer = null;
      await this.ensureVisitorShown();
    }).catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
  }

  private closeStream(): void {
    this.stream.close();
  }

  /** Opens the current visitor's event stream, unless open; its events count only for this epoch. */
  private listen(): void {
    const creds = this.creds!;
    if (this.resetsQueued > 0 || this.stream.visitorId === creds.visitorId) return;
    const epoch = this.epoch;
    this.stream.open(creds, {
      opened: () => this.catchUp(creds, epoch),
      message: (message) => {
        if (epoch !== this.epoch) return;
        this.pristine = false;
        this.view.add(message);
      },
      revoked: () => {
        if (epoch === this.epoch) this.revokedElsewhere(creds);
      },
    });
  }

  /**
   * The server revoked the visitor on screen, and this tab did not ask it to: a tab sharing the
   * visitor (one opened with `window.open`) switched customer or logged out unheard. Nothing of
   * it stays on screen, and the tab goes on as whoever storage and the server say it is now: the
   * shared new visitor in local mode, or else a new anonymous one.
   */
  private revokedElsewhere(creds: Credentials): void {
    this.epoch += 1;
    this.view.clear();
    this.view.forgetDraft();
    this.closeStream();
    void this.enqueue(async () => {
      if (this.creds?.visitorId !== creds.visitorId) return; // moved on meanwhile
      this.creds = undefined;
      this.customer = null;
      await this.ensureVisitorShown();
    }).catch((err: Error) => this.view.showError(`Chat is unavailable: ${err.message}`));
  }

  /**
   * Nothing was pushed to this visitor before its stream opened: not between the history's load
   * and the first connection, nor while a dropped one was down. Fetches what came meanwhile.
   */
  private catchUp(creds: Credentials, epoch: number): void {
    if (epoch !== this.epoch) return;
    const calls = this.identityCalls;
    // A tag under way when the read begins may land after the server answers it: the read would
    // be of the visitor before the tag (no history, no agent), and must not decide the screen.
    const pendingAtStart = this.identityPending;
    const newestShown = this.view.newestSeq();
    // A catch-up that fails (the network, a revoked visitor) changes nothing: the next one tries again.
    void this.client
      .session(creds)
      .then(async (s) => {
        if (epoch !== this.epoch) return; // another identity since: no older pages to fetch for this one
        const gap = await this.gapBefore(creds, s, newestShown);
        // A tag or reset called since the read began, or under way while it ran, decides the
        // screen itself: the read may have seen the customer of a tag that a later call in the
        // same tick supersedes, or the visitor as it was before a tag.
        if (epoch !== this.epoch || this.identityCalls !== calls || this.identityPending > 0 || pendingAtStart > 0) return;
        if (s.messages.length > 0) this.pristine = false;
        for (const message of gap) this.view.add(message);
        this.view.catchUp(s);
      })
      .catch(() => undefined);
  }

  /** Loads the page before the oldest message on screen (the visitor scrolled up, or asked). */
  loadEarlier(): void {
    const { epoch, creds, older } = this;
    if (!creds || !older?.cursor || older.epoch !== epoch || this.loadingOlder === epoch) return;
    this.loadingOlder = epoch;
    this.view.setEarlier('loading');
    void this.client
      .history(creds, older.cursor)
      .then(
        (page) => {
          // Another identity since: its screen is not this page's to change.
          if (epoch !== this.epoch) return;
          this.view.prepend(page.messages);
          this.view.showError('');
          this.older = { epoch, cursor: page.olderCursor };
          this.view.setEarlier(page.olderCursor ? 'more' : 'none');
        },
        (err: Error) => {
          if (epoch !== this.epoch) return;
          this.view.setEarlier('more');
          this.view.showError(`Earlier messages could not be loaded: ${err.message}`);
        },
      )
      .finally(() => {
        if (this.loadingOlder === epoch) this.loadingOlder = undefined;
      });
  }

  /**
   * What a catch-up's latest page does not reach back to: the messages between the newest one
   * on screen and that page, posted while no stream was open (more than a page of them).
   */
  private async gapBefore(creds: Credentials, page: HistoryPage, newestShown: number | null): Promise<WireMessage[]> {
    const gap: WireMessage[] = [];
    let { olderCursor, messages } = page;
    while (newestShown !== null && olderCursor && (messages[0]?.seq ?? 0) > newestShown) {
      ({ olderCursor, messages } = await this.client.history(creds, olderCursor));
      gap.push(...messages.filter((m) => m.seq > newestShown));
    }
    return gap;
  }
}
