/**
 * The reference model of the identity lifecycle: what docs/CONTRACT.md and the seed promise,
 * as plain data and functions, with no browser. One browser profile at a time, its tabs, the
 * site's signed-in account, the visitors the widget holds, and the customers' conversations.
 *
 * The model says, after every step a user or a site takes:
 * - which visitor each tab holds (a visitor is a symbol here; the runner binds it to the real
 *   id the first time it sees it, and a new symbol must get an id never seen before);
 * - what each tab shows: the messages of its visitor's conversation, oldest first, and the
 *   conversation's assigned agent;
 * - which visitors the server must refuse (revoked) and which customer each visitor is;
 * - what each customer's conversation holds on the server.
 *
 * Where the contract leaves the screen of a tab open, the tab is "stale": a tag made in another
 * tab of the same visitor, or anonymous messages merged into a conversation another tab shows,
 * is not pushed to that tab (no clause asks for it). A stale tab must still show nothing but
 * messages of its visitor's conversation, in order; a reload, Back or a reset makes it exact
 * again. A reset of a visitor that never wrote, was never written to and was never tagged may
 * keep its id (C13.5 asks it of a second reset; for a first one the contract is silent): the
 * model then accepts the old id or a new one.
 */

export type IdMode = 'session' | 'local';

/** A fixture-site account, as the site tags it (fixture-site/src/users.ts). */
export interface Account {
  email: string;
  firstname: string;
  lastname: string;
  labels: string[];
  /** The agent the site routes the account to, by email. */
  assignedUser?: string;
}

export interface Agent {
  email: string;
  name: string;
}

export interface ModelMessage {
  /** Global order: the server's seq grows with it. */
  n: number;
  text: string;
}

export interface ModelVisitor {
  key: number;
  /** The customer's email once tagged. */
  customer: string | null;
  /** Its own conversation while anonymous. */
  anonymous: ModelMessage[];
  revoked: boolean;
  /** A pristine visitor a reset replaced: the server may keep it or refuse it, and the next
   * visitor may have its id (mayReuse). */
  retired?: boolean;
  /** Never wrote, never written to, never tagged: a reset may keep it. */
  pristine: boolean;
  /** A visitor made by resetting a pristine one: the real id may be that one's. */
  mayReuse?: number[];
}

export interface ModelCustomer {
  email: string;
  messages: ModelMessage[];
  /** The assigned agent's email. */
  agent: string | null;
  profile?: Pick<Account, 'firstname' | 'lastname' | 'labels'>;
}

/** `elsewhere`: the tab is on another site; Back returns to the site. */
export type PageKind = 'home' | 'help' | 'login' | 'account' | 'login-error' | 'elsewhere';

/** A page in a tab's session history, as it was when the tab left it. */
export interface HistoryEntry {
  page: PageKind;
  signedInPage: boolean;
}

export interface ModelTab {
  id: number;
  /** The visitor the tab's widget holds. */
  visitor: number;
  /** The visitor in the tab's sessionStorage (session mode); local mode uses the profile's. */
  stored?: number;
  stale: boolean;
  page: PageKind;
  /** The page was rendered for a signed-in user: it has a "Log out" button. */
  signedInPage: boolean;
  /** The page Back returns to, when the tab went to another page with `goAway`. */
  back?: HistoryEntry;
  /** The page Forward returns to, when the tab went Back and has not gone anywhere since. */
  forward?: HistoryEntry;
  /** Session mode: a logout happened in another tab while this one was elsewhere (C10.6). */
  outlivedLogout?: boolean;
}

export interface Model {
  mode: IdMode;
  accounts: Account[];
  agents: Agent[];
  /** Accounts whose tag the server refuses (an unknown agent): the site's own refused login. */
  refused: string[];
  customers: Map<string, ModelCustomer>;
  visitors: ModelVisitor[];
  tabs: ModelTab[];
  /** The profile's localStorage visitor (local mode). */
  localVisitor?: number;
  /** Who the site's session cookie signs in. */
  siteUser: string | null;
  next: { tab: number; visitor: number; message: number };
}

/** What the runner is told about one step, beyond the state after it. */
export interface StepEffects {
  /** The step changed who some tab is (a logout, a switch, a reset): what those tabs showed
   * before must not be rendered again during the step. */
  identityChanged: boolean;
}

export function newModel(mode: IdMode, accounts: Account[], agents: Agent[], refused: string[]): Model {
  return {
    mode,
    accounts,
    agents,
    refused,
    customers: new Map(),
    visitors: [],
    tabs: [],
    siteUser: null,
    next: { tab: 1, visitor: 1, message: 1 },
  };
}

export function messageText(model: Model, what: string): ModelMessage {
  const n = model.next.message++;
  return { n, text: `[m${n}] ${what}` };
}

export function seedCustomer(model: Model, email: string, texts: string[], agent: string | null): string[] {
  const messages = texts.map((t) => messageText(model, t));
  model.customers.set(email, { email, messages, agent });
  return messages.map((m) => m.text);
}

export function visitor(model: Model, key: number): ModelVisitor {
  const v = model.visitors.find((x) => x.key === key);
  if (!v) throw new Error(`model: no visitor ${key}`);
  return v;
}

export function tab(model: Model, id: number): ModelTab {
  const t = model.tabs.find((x) => x.id === id);
  if (!t) throw new Error(`model: no tab ${id}`);
  return t;
}

function newVisitor(model: Model, mayReuse?: number[]): number {
  const key = model.next.visitor++;
  model.visitors.push({ key, customer: null, anonymous: [], revoked: false, pristine: true, ...(mayReuse ? { mayReuse } : {}) });
  return key;
}

/**
 * Where the model allowed a reset to keep a pristine visitor, two symbols can turn out to be
 * one real visitor (two tabs that both kept it): from then on they are one, `keep`.
 */
export function sameVisitor(model: Model, keep: number, drop: number): void {
  for (const t of model.tabs) {
    if (t.visitor === drop) t.visitor = keep;
    if (t.stored === drop) t.stored = keep;
  }
  if (model.localVisitor === drop) model.localVisitor = keep;
  visitor(model, drop).retired = true;
}

/** The conversation a visitor's widget shows: its customer's, or its own while anonymous. */
export function conversationOf(model: Model, key: number): ModelMessage[] {
  const v = visitor(model, key);
  return v.customer ? model.customers.get(v.customer)!.messages : v.anonymous;
}

export function agentShown(model: Model, key: number): Agent | null {
  const v = visitor(model, key);
  const email = v.customer ? model.customers.get(v.customer)!.agent : null;
  return email ? model.agents.find((a) => a.email === email)! : null;
}

/** Two visitors show one conversation when they are the same or tagged as the same customer. */
function sameConversation(model: Model, a: number, b: number): boolean {
  if (a === b) return true;
  const va = visitor(model, a);
  const vb = visitor(model, b);
  return va.customer !== null && va.customer === vb.customer;
}

function storedVisitor(model: Model, t: ModelTab): number | undefined {
  return model.mode === 'local' ? model.localVisitor : t.stored;
}

function store(model: Model, t: ModelTab, key: number): void {
  if (model.mode === 'local') model.localVisitor = key;
  else t.stored = key;
  t.visitor = key;
}

/** Forgets the tab's visitor (revoked unless pristine) and starts a new one in its storage. */
function startOver(model: Model, t: ModelTab): void {
  const old = visitor(model, t.visitor);
  if (old.pristine) {
    old.retired = true;
    store(model, t, newVisitor(model, [...(old.mayReuse ?? []), old.key]));
    return;
  }
  old.revoked = true;
  store(model, t, newVisitor(model));
}

/** Other tabs showing what a visitor's conversation was: no clause makes them follow a tag. */
function staleOthers(model: Model, acting: ModelTab, key: number): void {
  for (const other of model.tabs) if (other !== acting && sameConversation(model, other.visitor, key)) other.stale = true;
}

/** `CV.user.tag(account)` in a tab. Returns false when the server refuses it. */
export function tagIn(model: Model, t: ModelTab, account: Account): boolean {
  const current = visitor(model, t.visitor);
  if (current.customer === null || current.customer === account.email) return tagVisitor(model, t, account);
  // Another customer: reset, then tag (C5.1). The other tabs on the site that hold the old
  // visitor follow once the tag is answered: in local mode they share the new one (C10.8), in
  // session mode (a tab opened with window.open) the server's revocation makes each a new
  // anonymous visitor (C9.7).
  const followers = model.tabs.filter((o) => o !== t && o.visitor === current.key && o.page !== 'elsewhere');
  startOver(model, t);
  const tagged = tagVisitor(model, t, account);
  for (const other of followers) {
    if (model.mode === 'local') other.visitor = t.visitor;
    else startOver(model, other);
    other.stale = false;
  }
  return tagged;
}

/** The tag itself, on the tab's visitor as it is now. Returns false when the server refuses it. */
function tagVisitor(model: Model, t: ModelTab, account: Account): boolean {
  if (model.refused.includes(account.email)) return false;
  const v = visitor(model, t.visitor);
  staleOthers(model, t, v.key);
  let customer = model.customers.get(account.email);
  if (!customer) {
    customer = { email: account.email, messages: [], agent: null };
    model.customers.set(account.email, customer);
  }
  if (v.customer === null && v.anonymous.length > 0) {
    customer.messages = [...customer.messages, ...v.anonymous].sort((a, b) => a.n - b.n);
    v.anonymous = [];
  }
  if (account.assignedUser) customer.agent = account.assignedUser;
  customer.profile = { firstname: account.firstname, lastname: account.lastname, labels: account.labels };
  v.customer = account.email;
  v.pristine = false;
  staleOthers(model, t, v.key);
  return true;
}

/** `CV.user.reset()` in a tab: it empties every tab of the profile (C10), each its way. */
export function resetIn(model: Model, t: ModelTab): void {
  startOver(model, t);
  t.stale = false;
  for (const other of model.tabs) {
    if (other === t) continue;
    if (other.page === 'elsewhere' && model.mode === 'session') {
      // Away from the site, it hears nothing; it finds out when it comes back (C10.6).
      other.outlivedLogout = true;
      continue;
    }
    if (model.mode === 'local') {
      other.visitor = model.localVisitor!;
    } else {
      // The other tab's widget starts over too: its own visitor revoked, a new one.
      startOver(model, other);
    }
    other.stale = false;
  }
}

/** A document of the site loads in a tab: the widget resumes or starts its visitor, and the
 * site tags its signed-in account. */
export function loadPage(model: Model, t: ModelTab, page: PageKind, keepBack = false): void {
  resume(model, t);
  if (!keepBack) {
    // A new navigation: the page left is behind it, and nothing is ahead of it any more.
    delete t.back;
    delete t.forward;
  }
  t.page = page;
  t.signedInPage = model.siteUser !== null;
  if (model.siteUser !== null) tagIn(model, t, accountOf(model, model.siteUser));
}

/** The widget takes the visitor its storage holds, or a new one if that one is revoked. */
function resume(model: Model, t: ModelTab): void {
  if (t.outlivedLogout) {
    // Its visitor was stored before a logout in another tab: revoked, and a new one (C10.6).
    delete t.outlivedLogout;
    const old = t.stored === undefined ? undefined : visitor(model, t.stored);
    if (old && !old.retired) old.revoked = true;
    store(model, t, newVisitor(model));
    t.stale = false;
    return;
  }
  const stored = storedVisitor(model, t);
  const live = stored !== undefined && !visitor(model, stored).revoked && !visitor(model, stored).retired;
  if (live) t.visitor = stored;
  else store(model, t, newVisitor(model));
  t.stale = false;
}

/** The tab goes to another page of the site; Back can return to the one it leaves. */
export function goAway(model: Model, t: ModelTab, page: PageKind): void {
  const entry = { page: t.page, signedInPage: t.signedInPage };
  loadPage(model, t, page);
  t.back = entry;
}

/**
 * Back to the page the tab left. Loaded again, it is a page load like any other (the site tags
 * its signed-in user). Restored from the back/forward cache, no script of the site runs again:
 * the page is as it was, and the widget only checks who the visitor is now (C11).
 */
export function goBack(model: Model, t: ModelTab, restored: boolean, landedOn: PageKind): void {
  const left = { page: t.page, signedInPage: t.signedInPage };
  returnTo(model, t, t.back!, restored, landedOn);
  // The model follows Forward within the site only.
  if (left.page !== 'elsewhere') t.forward = left;
}

/** The tab goes to another site: its page of the site is left (Back returns to it), its widget gone. */
export function leaveSite(t: ModelTab): void {
  t.back = { page: t.page, signedInPage: t.signedInPage };
  delete t.forward;
  t.page = 'elsewhere';
}

/** Forward to the page Back left: loaded again or restored from the cache, as Back is. */
export function goForward(model: Model, t: ModelTab, restored: boolean, landedOn: PageKind): void {
  const left = { page: t.page, signedInPage: t.signedInPage };
  returnTo(model, t, t.forward!, restored, landedOn);
  t.back = left;
}

function returnTo(model: Model, t: ModelTab, entry: HistoryEntry, restored: boolean, landedOn: PageKind): void {
  if (!restored) loadPage(model, t, landedOn);
  else {
    resume(model, t);
    t.page = entry.page;
    t.signedInPage = entry.signedInPage;
  }
  // The model follows one step of history each way: the entry now current is neither.
  delete t.back;
  delete t.forward;
}

export function accountOf(model: Model, email: string): Account {
  const account = model.accounts.find((a) => a.email === email);
  if (!account) throw new Error(`model: no account ${email}`);
  return account;
}

export type OpenKind = 'user' | 'window.open' | 'link-with-opener' | 'link-without-opener';

/** A new tab: a copy of the opener's sessionStorage when the page opened it with an opener. */
export function openTab(model: Model, kind: OpenKind, opener?: ModelTab): ModelTab {
  const t: ModelTab = { id: model.next.tab++, visitor: 0, stale: false, page: 'home', signedInPage: false };
  if ((kind === 'window.open' || kind === 'link-with-opener') && opener?.stored !== undefined) t.stored = opener.stored;
  model.tabs.push(t);
  loadPage(model, t, kind === 'user' ? 'home' : 'help');
  return t;
}

export function closeTab(model: Model, t: ModelTab): void {
  model.tabs = model.tabs.filter((x) => x !== t);
}

export function sendFrom(model: Model, t: ModelTab, what: string): ModelMessage {
  const message = messageText(model, what);
  appendTo(model, t.visitor, message);
  return message;
}

export function appendTo(model: Model, key: number, message: ModelMessage): void {
  const v = visitor(model, key);
  if (v.customer) model.customers.get(v.customer)!.messages.push(message);
  else v.anonymous.push(message);
  for (const other of model.visitors) if (sameConversation(model, other.key, key)) other.pristine = false;
}

/** An agent writes in a customer's conversation, or in an anonymous visitor's. */
export function replyTo(model: Model, target: { customer?: string; visitor?: number }, what: string): ModelMessage {
  const message = messageText(model, what);
  if (target.visitor !== undefined) {
    appendTo(model, target.visitor, message);
  } else {
    model.customers.get(target.customer!)!.messages.push(message);
    for (const v of model.visitors) if (v.customer === target.customer) v.pristine = false;
  }
  return message;
}

/** Every message text the model knows of, with the conversation it belongs to. */
export function allMessages(model: Model): { text: string; owner: string }[] {
  const out: { text: string; owner: string }[] = [];
  for (const c of model.customers.values()) for (const m of c.messages) out.push({ text: m.text, owner: c.email });
  for (const v of model.visitors) for (const m of v.anonymous) out.push({ text: m.text, owner: `visitor ${v.key}` });
  return out;
}

/** The texts a profile may render now: what its tabs' conversations hold. */
export function textsShownBy(model: Model): Set<string> {
  const texts = new Set<string>();
  for (const t of model.tabs) if (t.page !== 'elsewhere') for (const m of conversationOf(model, t.visitor)) texts.add(m.text);
  return texts;
}

/** Deep copy, for the texts a step may still render from before it. */
export function snapshot(model: Model): Model {
  return structuredClone(model);
}
