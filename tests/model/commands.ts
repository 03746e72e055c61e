/**
 * What users and sites do, as fast-check commands: each one acts on the real browser and
 * servers (World) and on the model, then the world is compared with the model. A command
 * names its tab by a number taken modulo the open tabs, so that a shrunk sequence still runs.
 * `toString()` is the step as a person would replay it (no commas: fast-check joins steps
 * with them).
 */
import fc from 'fast-check';
import { expect } from '@playwright/test';
import {
  closeTab,
  conversationOf,
  goAway,
  goBack,
  goForward,
  leaveSite,
  loadPage,
  openTab,
  replyTo,
  resetIn,
  sendFrom,
  tagIn,
  type Account,
  type Model,
  type ModelTab,
  type OpenKind,
  type PageKind,
} from './lifecycle-model.js';
import type { SendKey } from '../pages/chat-widget.js';
import type { Step, World } from './world.js';

type Command = fc.AsyncCommand<Model, World>;

/** The page a navigation lands on: the site redirects /account and /login by sign-in state. */
function landing(model: Model, wanted: PageKind): PageKind {
  if (wanted === 'account' && model.siteUser === null) return 'login';
  if (wanted === 'login' && model.siteUser !== null) return 'account';
  return wanted === 'login-error' ? 'login' : wanted;
}

abstract class TabCommand implements Command {
  protected tabId = 0;
  /** Whether the step can be taken in a tab that is on another site (most act on the site's page). */
  protected readonly elsewhereToo: boolean = false;
  constructor(protected readonly pick: number) {}
  protected chosen(model: Model): ModelTab {
    return model.tabs[this.pick % model.tabs.length]!;
  }
  check(model: Readonly<Model>): boolean {
    if (model.tabs.length === 0) return false;
    const t = this.chosen(model as Model);
    return (this.elsewhereToo || t.page !== 'elsewhere') && this.allowed(model, t);
  }
  protected allowed(_model: Readonly<Model>, _tab: ModelTab): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    const t = this.chosen(model);
    this.tabId = t.id;
    const step = await world.begin(model);
    await this.act(model, world, t, step);
    await world.verify(model, step);
  }
  protected abstract act(model: Model, world: World, t: ModelTab, step: Step): Promise<void>;
  abstract toString(): string;
}

/** Waits until a page of the site is loaded, the chat panel open. */
async function settlePage(world: World, id: number): Promise<void> {
  const { page, widget } = world.tab(id);
  await page.waitForLoadState();
  await widget.open();
}

export class Login extends TabCommand {
  constructor(
    pick: number,
    private readonly account: Account,
  ) {
    super(pick);
  }
  protected override allowed(model: Readonly<Model>): boolean {
    return model.siteUser === null;
  }
  override async run(model: Model, world: World): Promise<void> {
    const t = this.chosen(model);
    this.tabId = t.id;
    // The login page itself may show what the widget holds: the step proper starts after it.
    let step = await world.begin(model);
    await world.tab(t.id).site.fillLogin(this.account.email);
    loadPage(model, t, 'login');
    await world.verify(model, step);
    step = await world.begin(model);
    const before = t.visitor;
    await world.tab(t.id).site.submitLogin();
    model.siteUser = this.account.email;
    loadPage(model, t, 'account');
    await settlePage(world, t.id);
    // The site's tag settled (its status line says so): the history is on screen now (C2.4).
    const site = world.tab(t.id).site;
    await expect(site.chatStatus).not.toHaveText('Loading your chat history…');
    await world.verifyVisitorsNow(model, [before, t.visitor]);
    if (!model.refused.includes(this.account.email)) {
      expect(await world.shownNow(t.id), 'the history is on screen when tag settles').toEqual(
        conversationOf(model, t.visitor).map((m) => m.text),
      );
    }
    await world.verify(model, step);
  }
  protected override act(): Promise<void> {
    throw new Error('unused');
  }
  override toString(): string {
    return `Tab ${this.tabId}: log in on the site as ${this.account.email}`;
  }
}

export class WrongPassword extends TabCommand {
  protected override allowed(model: Readonly<Model>): boolean {
    return model.siteUser === null;
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    const { site } = world.tab(t.id);
    await site.fillLogin(model.accounts[0]!.email, 'wrong password');
    loadPage(model, t, 'login');
    await site.submitRefusedLogin();
    loadPage(model, t, 'login-error');
    await settlePage(world, t.id);
  }
  override toString(): string {
    return `Tab ${this.tabId}: log in with a wrong password (refused by the site)`;
  }
}

export class Logout extends TabCommand {
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return t.signedInPage;
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    await world.tab(t.id).site.logout();
    resetIn(model, t);
    model.siteUser = null;
    loadPage(model, t, 'home');
    await settlePage(world, t.id);
  }
  override toString(): string {
    return `Tab ${this.tabId}: click "Log out"`;
  }
}

/** The site's session ends without a logout (it expires, or the site forgets to reset). */
export class SessionEnds implements Command {
  check(model: Readonly<Model>): boolean {
    return model.siteUser !== null && model.tabs.length > 0;
  }
  async run(model: Model, world: World): Promise<void> {
    const step = await world.begin(model);
    await world.context.clearCookies({ name: 'site_session' });
    model.siteUser = null;
    await world.verify(model, step);
  }
  toString(): string {
    return "The site's session ends without a logout (its cookie is gone)";
  }
}

export class Reload extends TabCommand {
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return t.page !== 'login-error';
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    await world.tab(t.id).page.reload();
    loadPage(model, t, landing(model, t.page), true);
    await settlePage(world, t.id);
  }
  override toString(): string {
    return `Tab ${this.tabId}: reload`;
  }
}

export class GoAway extends TabCommand {
  private via = '';
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return t.page !== 'login-error';
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    const { site } = world.tab(t.id);
    // Another page: a link to the page itself would replace the entry, not add one.
    const toHelp = t.page === 'home';
    this.via = toHelp ? 'open /help' : 'follow the "Example Shop" link home';
    if (toHelp) await site.gotoHelp();
    else await site.gotoHomeByLink();
    goAway(model, t, toHelp ? 'help' : 'home');
    await settlePage(world, t.id);
  }
  override toString(): string {
    return `Tab ${this.tabId}: ${this.via}`;
  }
}

/** The tab goes to another site (another origin): the site's page is left; Back returns to it. */
export class LeaveSite extends TabCommand {
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return t.page !== 'login-error';
  }
  protected override async act(_model: Model, world: World, t: ModelTab): Promise<void> {
    await world.tab(t.id).site.gotoAnotherSite();
    leaveSite(t);
  }
  override toString(): string {
    return `Tab ${this.tabId}: go to another site`;
  }
}

/** Back or Forward in the tab's session history: the page comes from the back/forward cache or loads again. */
abstract class HistoryStep extends TabCommand {
  private how = '';
  protected override readonly elsewhereToo = true;
  protected abstract readonly direction: 'Back' | 'Forward';
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return (this.direction === 'Back' ? t.back : t.forward) !== undefined;
  }
  protected override async act(model: Model, world: World, t: ModelTab, step: Step): Promise<void> {
    const { site } = world.tab(t.id);
    if (this.direction === 'Back') await site.goBack();
    else await site.goForward();
    const restored = await world.restoredSince(t.id, step.mark);
    this.how = restored ? 'restored from the back/forward cache' : 'loaded again';
    const entry = this.direction === 'Back' ? t.back! : t.forward!;
    (this.direction === 'Back' ? goBack : goForward)(model, t, restored, landing(model, entry.page));
    await settlePage(world, t.id);
  }
  override toString(): string {
    return `Tab ${this.tabId}: press ${this.direction} (the page is ${this.how})`;
  }
}

export class Back extends HistoryStep {
  protected readonly direction = 'Back';
}

export class Forward extends HistoryStep {
  protected readonly direction = 'Forward';
}

const OPEN_KINDS: OpenKind[] = ['user', 'window.open', 'link-with-opener', 'link-without-opener'];

export class OpenTab extends TabCommand {
  private openedId = 0;
  constructor(
    pick: number,
    private readonly kind: OpenKind,
  ) {
    super(pick);
  }
  protected override allowed(model: Readonly<Model>, t: ModelTab): boolean {
    return model.tabs.length < 3 && (this.kind.startsWith('link') ? t.page === 'home' : true);
  }
  protected override async act(model: Model, world: World, opener: ModelTab): Promise<void> {
    const { site } = world.tab(opener.id);
    const t = openTab(model, this.kind, opener);
    this.openedId = t.id;
    if (this.kind === 'user') await (await world.userTab(t.id)).site.gotoHome();
    else if (this.kind === 'window.open') world.adopt(t.id, await site.openWindow('/help'));
    else world.adopt(t.id, await site.openLinkInNewTab(this.kind === 'link-with-opener' ? 'Help centre' : 'Returns policy'));
    await settlePage(world, t.id);
  }
  override toString(): string {
    const how = {
      user: 'the user opens a new tab at the home page',
      'window.open': 'the page opens /help with window.open',
      'link-with-opener': 'click "Help centre" (target=_blank rel=opener)',
      'link-without-opener': 'click "Returns policy" (target=_blank without opener)',
    }[this.kind];
    return `Tab ${this.tabId}: ${how} (it becomes tab ${this.openedId})`;
  }
}

export class CloseTab extends TabCommand {
  protected override readonly elsewhereToo = true;
  protected override allowed(model: Readonly<Model>): boolean {
    return model.tabs.length > 1;
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    await world.close(t.id);
    closeTab(model, t);
  }
  override toString(): string {
    return `Tab ${this.tabId}: close it`;
  }
}

/** The user opens the site's home page in a new tab of a profile with no tab open; its id. */
export async function openFirstTab(model: Model, world: World): Promise<number> {
  const step = await world.begin(model);
  const t = openTab(model, 'user');
  await (await world.userTab(t.id)).site.gotoHome();
  await settlePage(world, t.id);
  await world.verify(model, step);
  return t.id;
}

export class CloseAllAndReturn implements Command {
  private reopened = 0;
  check(model: Readonly<Model>): boolean {
    return model.tabs.length > 0;
  }
  async run(model: Model, world: World): Promise<void> {
    for (const t of [...model.tabs]) {
      await world.close(t.id);
      closeTab(model, t);
    }
    this.reopened = await openFirstTab(model, world);
  }
  toString(): string {
    return `Close every tab then open the site again (tab ${this.reopened})`;
  }
}

export class NewProfile implements Command {
  private opened = 0;
  check(): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    await world.newProfile();
    model.tabs = [];
    delete model.localVisitor;
    model.siteUser = null;
    this.opened = await openFirstTab(model, world);
  }
  toString(): string {
    return `Open the site in a new browser profile (another device; tab ${this.opened})`;
  }
}

export class Send extends TabCommand {
  private text = '';
  constructor(
    pick: number,
    private readonly by: SendKey = 'button',
  ) {
    super(pick);
  }
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return !t.stale;
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    const message = sendFrom(model, t, 'visitor writes');
    this.text = message.text;
    const { widget } = world.tab(t.id);
    await widget.sendAndWait(message.text, this.by);
    await expect(widget.messageBox, 'the message box is empty once its message is sent').toHaveValue('');
  }
  override toString(): string {
    return `Tab ${this.tabId}: send "${this.text}" in the chat with ${this.by === 'enter' ? 'the Enter key' : 'the Send button'}`;
  }
}

/** An agent replies in a conversation: a customer's, or an anonymous visitor's that has one. */
export class AgentReplies implements Command {
  private target = '';
  private text = '';
  constructor(private readonly pick: number) {}
  private targets(model: Readonly<Model>): { label: string; customer?: string; visitor?: number }[] {
    return [
      ...[...model.customers.values()].filter((c) => c.messages.length > 0).map((c) => ({ label: c.email, customer: c.email })),
      ...model.visitors.filter((v) => !v.customer && v.anonymous.length > 0).map((v) => ({ label: `visitor ${v.key}`, visitor: v.key })),
    ];
  }
  check(model: Readonly<Model>): boolean {
    return model.tabs.length > 0 && this.targets(model).length > 0;
  }
  async run(model: Model, world: World): Promise<void> {
    const targets = this.targets(model);
    const target = targets[this.pick % targets.length]!;
    this.target = target.label;
    const step = await world.begin(model);
    const conversations = await world.agent.conversations();
    const real = target.customer
      ? conversations.find((c) => c.customer?.email === target.customer)
      : conversations.find((c) => !c.customer && c.visitorId === world.ids.get(target.visitor!));
    if (!real) throw new Error(`the agent API lists no conversation for ${target.label}`);
    const message = replyTo(model, target, 'agent replies');
    this.text = message.text;
    await world.agent.reply(real.id, message.text);
    await world.verify(model, step);
  }
  toString(): string {
    return `An agent replies "${this.text}" to ${this.target}`;
  }
}

/** Every event stream of the workspace drops, as a lost connection would: nothing changes for
 * the model, so what comes next (a reply, a logout) must reach the tabs as if it had not. */
export class StreamsDrop implements Command {
  check(model: Readonly<Model>): boolean {
    return model.tabs.length > 0;
  }
  async run(model: Model, world: World): Promise<void> {
    const step = await world.begin(model);
    await world.workspace.dropStreams();
    await world.verify(model, step);
  }
  toString(): string {
    return 'Every event stream of the workspace drops (a lost connection)';
  }
}

type Call = { method: 'tag'; account: Account } | { method: 'reset' };

/** Two CV.user calls in the same tick, straight from the page's script. */
export class SameTick extends TabCommand {
  constructor(
    pick: number,
    private readonly calls: Call[],
  ) {
    super(pick);
  }
  protected override allowed(_model: Readonly<Model>, t: ModelTab): boolean {
    return !t.stale;
  }
  protected override async act(model: Model, world: World, t: ModelTab): Promise<void> {
    const before = t.visitor;
    const expected = this.calls.map((call) => (call.method === 'reset' ? (resetIn(model, t), true) : tagIn(model, t, call.account)));
    const { page } = world.tab(t.id);
    const outcomes = await page.evaluate(
      async (calls) => {
        const user = (window as unknown as { CV: { user: { tag(u: unknown): Promise<void>; reset(): Promise<void> } } }).CV.user;
        const started = calls.map((c) => (c.method === 'reset' ? user.reset() : user.tag(c.user)));
        return (await Promise.allSettled(started)).map((r) => r.status === 'fulfilled');
      },
      this.calls.map((c) => (c.method === 'reset' ? { method: 'reset' as const } : { method: 'tag' as const, user: tagData(c.account) })),
    );
    expect(outcomes, 'which calls resolve (a refused tag rejects)').toEqual(expected);
    // Settled means done on the server too: the tab's visitor revoked or tagged as the model says.
    await world.verifyVisitorsNow(model, [before, t.visitor]);
    // Both Promises have settled: the screen is final now, read without waiting (C2.4, C3.1).
    expect(await world.shownNow(t.id), 'the screen when the calls have settled').toEqual(
      conversationOf(model, t.visitor).map((m) => m.text),
    );
  }
  override toString(): string {
    const calls = this.calls.map((c) => (c.method === 'reset' ? 'CV.user.reset()' : `CV.user.tag({email: '${c.account.email}'…})`));
    return `Tab ${this.tabId}: the page calls ${calls.join(' and ')} in the same tick`;
  }
}

/** What the fixture site passes to tag for an account (its profile, no proof: verification is off). */
export function tagData(account: Account): Record<string, unknown> {
  return {
    email: account.email,
    firstname: account.firstname,
    lastname: account.lastname,
    labels: account.labels,
    ...(account.assignedUser ? { assignedUser: account.assignedUser } : {}),
  };
}

export function commandArbitraries(accounts: Account[]): fc.Arbitrary<Command>[] {
  const pick = fc.nat({ max: 5 });
  const account = fc.constantFrom(...accounts);
  const call: fc.Arbitrary<Call> = fc.oneof(
    account.map((a) => ({ method: 'tag' as const, account: a })),
    fc.constant({ method: 'reset' as const }),
  );
  return [
    fc.tuple(pick, account).map(([p, a]) => new Login(p, a)),
    fc.tuple(pick, account).map(([p, a]) => new Login(p, a)),
    pick.map((p) => new Logout(p)),
    pick.map((p) => new Logout(p)),
    pick.map((p) => new WrongPassword(p)),
    fc.constant(null).map(() => new SessionEnds()),
    pick.map((p) => new Reload(p)),
    pick.map((p) => new GoAway(p)),
    pick.map((p) => new LeaveSite(p)),
    pick.map((p) => new Back(p)),
    pick.map((p) => new Back(p)),
    pick.map((p) => new Forward(p)),
    fc.tuple(pick, fc.constantFrom(...OPEN_KINDS)).map(([p, k]) => new OpenTab(p, k)),
    pick.map((p) => new CloseTab(p)),
    fc.constant(null).map(() => new CloseAllAndReturn()),
    fc.constant(null).map(() => new NewProfile()),
    fc.tuple(pick, fc.constantFrom<SendKey>('button', 'enter')).map(([p, by]) => new Send(p, by)),
    fc.tuple(pick, fc.constantFrom<SendKey>('button', 'enter')).map(([p, by]) => new Send(p, by)),
    pick.map((p) => new AgentReplies(p)),
    pick.map((p) => new AgentReplies(p)),
    fc.constant(null).map(() => new StreamsDrop()),
    fc.tuple(pick, call, call).map(([p, a, b]) => new SameTick(p, [a, b])),
  ];
}
