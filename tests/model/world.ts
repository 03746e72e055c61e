/**
 * The real system the lifecycle model is compared with: one browser profile (a Playwright
 * context) on the fixture site, its tabs, the screen recorder, and the test's workspace on the
 * mock server. After every step, `verify` compares every tab and the server with the model.
 */
import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { embedWorkspace, visitorOn, type Visitor } from '../fixtures.js';
import type { WorkspaceDump } from '../support/admin-client.js';
import { customerOf, storedHistory, visitorOf } from '../support/admin-client.js';
import type { AgentClient } from '../support/agent-client.js';
import { SITE_URL } from '../support/env.js';
import { ScreenRecorder } from '../support/screen-recorder.js';
import { hearWidgetCoverage } from '../support/widget-coverage.js';
import {
  agentShown,
  allMessages,
  conversationOf,
  sameVisitor,
  snapshot,
  textsShownBy,
  visitor,
  type Model,
  type ModelTab,
} from './lifecycle-model.js';

/** Where a step began: what may still be rendered during it, and since when. */
export interface Step {
  before: Model;
  mark: number;
}

export class World {
  context!: BrowserContext;
  private recorder!: ScreenRecorder;
  readonly tabs = new Map<number, Visitor>();
  /** Model visitor → the real id the widget gave it. */
  readonly ids = new Map<number, string>();

  constructor(
    private readonly browser: Browser,
    readonly workspace: { id: string; data(): Promise<WorkspaceDump>; dropStreams(): Promise<number> },
    readonly agent: AgentClient,
    private readonly site: { forgetsNoStore: boolean },
  ) {}

  /** A new browser profile, as a new device or a fresh browser is. */
  async newProfile(): Promise<void> {
    await this.context?.close();
    this.tabs.clear();
    this.context = await this.browser.newContext({ baseURL: SITE_URL });
    await hearWidgetCoverage(this.context);
    await embedWorkspace(this.context, this.workspace.id, 'proxy', 'jwt', { cache: this.site.forgetsNoStore ? 'bfcache' : 'no-store' });
    this.recorder = await ScreenRecorder.install(this.context);
  }

  async dispose(): Promise<void> {
    await this.context?.close();
  }

  tab(id: number): Visitor {
    const found = this.tabs.get(id);
    if (!found) throw new Error(`no open tab ${id}`);
    return found;
  }

  /** A tab the user opens: a new page in the profile. */
  async userTab(id: number): Promise<Visitor> {
    const opened = visitorOn(this.context, await this.context.newPage());
    this.tabs.set(id, opened);
    return opened;
  }

  adopt(id: number, page: Visitor['page']): Visitor {
    const opened = visitorOn(this.context, page);
    this.tabs.set(id, opened);
    return opened;
  }

  async close(id: number): Promise<void> {
    await this.tab(id).page.close();
    this.tabs.delete(id);
  }

  /** Marks where a step begins: texts of the model as it is now may still be rendered. */
  async begin(model: Model): Promise<Step> {
    for (const t of this.tabs.values()) await this.recorder.mark(t.page);
    return { before: snapshot(model), mark: Date.now() };
  }

  /** Compares every tab and the server with the model, waiting for what is pushed. */
  async verify(model: Model, step: Step): Promise<void> {
    for (const t of model.tabs) await this.verifyTab(model, t);
    await this.verifyServer(model);
    await this.verifyNothingForeignRendered(model, step);
  }

  /** Whether the tab's page came back from the back/forward cache since the mark. */
  async restoredSince(tabId: number, mark: number): Promise<boolean> {
    return (await this.recorder.restoresSince(this.tab(tabId).page, mark)) > 0;
  }

  /** What a tab shows, read at once: for a Promise that has just settled (C2.4, C3.1). */
  async shownNow(tabId: number): Promise<string[]> {
    return this.tab(tabId).widget.messages.allTextContents();
  }

  private async verifyTab(model: Model, t: ModelTab): Promise<void> {
    if (t.page === 'elsewhere') return; // another site: no widget to compare
    const { widget } = this.tab(t.id);
    await widget.open();
    const expected = conversationOf(model, t.visitor).map((m) => m.text);
    if (t.stale) {
      // Left open by the contract: only messages of its visitor's conversation, in order.
      const shown = await widget.messages.allTextContents();
      expect(isSubsequence(shown, expected), `tab ${t.id} shows only its conversation, in order: ${JSON.stringify(shown)}`).toBe(true);
      return;
    }
    if (expected.length === 0) await expect(widget.messages, `tab ${t.id} shows no message`).toHaveCount(0);
    else await expect(widget.messages, `tab ${t.id} shows its conversation, oldest first`).toHaveText(expected);
    const agent = agentShown(model, t.visitor);
    if (agent) await expect(widget.assignedAgent, `tab ${t.id} shows its assigned agent`).toHaveText(agent.name);
    else await expect(widget.assignedAgent, `tab ${t.id} shows no assigned agent`).toBeHidden();
    // Nothing in the model's world goes wrong (the servers are up, every call is valid): an
    // error left on screen, from this step or an earlier one, is one the user should not see.
    await expect(widget.alert.filter({ hasText: /\S/ }), `tab ${t.id} shows no error`).toHaveCount(0);
    await this.verifyVisitorId(model, t);
  }

  private async verifyVisitorId(model: Model, t: ModelTab): Promise<void> {
    const { widget } = this.tab(t.id);
    const v = visitor(model, t.visitor);
    const known = this.ids.get(v.key);
    const reusable = (v.mayReuse ?? []).map((k) => this.ids.get(k));
    const seen = new Set(this.ids.values());
    const acceptable = (id: string) => (known ? id === known : reusable.includes(id) || !seen.has(id));
    const what = known ? `the visitor it had (${known})` : 'a new visitor';
    await expect.poll(async () => acceptable(await widget.visitorId()), { message: `tab ${t.id} holds ${what}` }).toBe(true);
    if (known) return;
    const id = await widget.visitorId();
    this.ids.set(v.key, id);
    const twin = model.visitors.find((o) => o.key !== v.key && !o.retired && !o.revoked && this.ids.get(o.key) === id);
    if (twin) sameVisitor(model, twin.key, v.key);
  }

  /**
   * Right after a `tag` or `reset` settles, before anything else is awaited: what the server
   * holds of these visitors must already be done (a Promise may not settle before the server
   * has revoked or tagged).
   */
  async verifyVisitorsNow(model: Model, keys: number[]): Promise<void> {
    const stored = await this.workspace.data();
    for (const v of model.visitors) if (keys.includes(v.key)) this.verifyVisitor(stored, v);
  }

  private verifyVisitor(stored: WorkspaceDump, v: Model['visitors'][number]): void {
    const id = this.ids.get(v.key);
    if (!id || v.retired) return;
    const real = visitorOf(stored, id);
    expect(real, `the server knows visitor ${id}`).toBeTruthy();
    if (v.revoked) expect(real!.revokedAt, `the server refuses visitor ${id} (reset)`).toBeTruthy();
    else expect(real!.revokedAt, `the server still serves visitor ${id}`).toBeUndefined();
    const customer = v.customer ? customerOf(stored, v.customer) : undefined;
    expect(real!.customerId, `visitor ${id} is ${v.customer ? `tagged as ${v.customer}` : 'anonymous'}`).toBe(customer?.id);
  }

  private async verifyServer(model: Model): Promise<void> {
    const stored = await this.workspace.data();
    for (const v of model.visitors) {
      this.verifyVisitor(stored, v);
      const id = this.ids.get(v.key);
      if (id && !v.retired && v.anonymous.length > 0) {
        const own = stored.conversations.find((c) => c.visitorId === id && !c.customerId);
        expect(
          own?.messages.map((m) => m.text),
          `visitor ${id}'s anonymous conversation`,
        ).toEqual(v.anonymous.map((m) => m.text));
      }
    }
    for (const c of model.customers.values()) {
      expect(
        storedHistory(stored, c.email).map((m) => m.text),
        `${c.email}'s conversation on the server`,
      ).toEqual(c.messages.map((m) => m.text));
      if (c.profile) {
        const real = customerOf(stored, c.email)!;
        expect({ firstname: real.firstname, lastname: real.lastname, labels: real.labels }, `${c.email}'s profile`).toEqual(c.profile);
      }
    }
  }

  /** Nothing of a conversation no tab may show was rendered during the step (the recorder). */
  private async verifyNothingForeignRendered(model: Model, step: Step): Promise<void> {
    const allowed = textsShownBy(model);
    const identityChanged = step.before.tabs.some((b) => model.tabs.some((t) => t.id === b.id && t.visitor !== b.visitor));
    if (!identityChanged) for (const text of textsShownBy(step.before)) allowed.add(text);
    const known = [...allMessages(step.before), ...allMessages(model)];
    const shown: string[] = [];
    for (const t of this.tabs.values()) shown.push(...(await this.recorder.shownSince(t.page, step.mark)));
    for (const text of shown) {
      const foreign = known.find((m) => !allowed.has(m.text) && text.includes(m.text));
      expect(foreign, `rendered during the step: "${foreign?.text}" of ${foreign?.owner}, which no tab may show now`).toBeUndefined();
    }
  }
}

function isSubsequence(shown: string[], of: string[]): boolean {
  let i = 0;
  for (const text of shown) {
    while (i < of.length && of[i] !== text) i += 1;
    if (i === of.length) return false;
    i += 1;
  }
  return true;
}
