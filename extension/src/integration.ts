/**
 * The injected integration: what a site's own chat integration does, played by the harness on
 * a site that knows nothing of the chat. It runs in the page (the MAIN world), before the
 * page's own scripts, and carries the widget under test with it:
 *
 * 1. the queueing snippet, so that calls made before the widget runs wait for it;
 * 2. the widget, run from this script (never from a `<script src>`, which a strict
 *    `script-src` blocks), told its workspace and vendor base through `document.currentScript`
 *    as the vendor's CDN URL would tell it;
 * 3. the site's side of the lifecycle, read from the page: `CV.user.tag` with the signed-in
 *    account's profile on every page that shows a signed-in user, `CV.user.reset()` when the
 *    page shows that the user has logged out, in a full-page app (the next page shows nobody)
 *    and in a single-page app (the page changes without loading).
 *
 * Who was signed in is remembered across page loads in localStorage under MEMORY_KEY (the
 * profile's, as the site's login session is); a reset is called once per logout.
 *
 * Built by extension/build.ts into one script that is given `CV_HARNESS_CONFIG` and the
 * widget's source; the same script is the extension's content script and the init script.
 */
import type { InjectionConfig, IntegrationEvent, IntegrationState } from '../injection-config.js';

declare const CV_HARNESS_CONFIG: InjectionConfig;
declare const CV_HARNESS_WIDGET: () => void;

const MEMORY_KEY = '__cv_harness_signed_in';

interface Queue {
  q: unknown[];
  user: { tag(user: unknown): Promise<void>; reset(): Promise<void> };
}

type CVLike = { user: { tag(user: unknown): Promise<void>; reset(): Promise<void> } };

const config = CV_HARNESS_CONFIG;
const LOG_KEY = '__cv_harness_log';
/** The tab's log, kept across its page loads (in its sessionStorage) so that a logout that loads a page keeps what led to it. */
const log: IntegrationEvent[] = (() => {
  try {
    return JSON.parse(sessionStorage.getItem(LOG_KEY) ?? '[]') as IntegrationEvent[];
  } catch {
    return [];
  }
})();
const note = (event: Omit<IntegrationEvent, 'at'>): void => {
  // The widget runs once per page load: say which page, since the log spans the tab's loads.
  const detail = event.kind === 'widget' ? `${event.detail} on ${location.pathname}` : event.detail;
  log.push({ at: Date.now(), kind: event.kind, detail });
  if (log.length > 200) log.shift();
  try {
    sessionStorage.setItem(LOG_KEY, JSON.stringify(log));
  } catch {
    /* storage full or disabled: the log stays in memory */
  }
};
let lastApiStatus: number | null = null;
let tokenRefused = false;

/** Where a value is kept in this page's storage: which areas hold it in a value (the harness's own keys aside). */
function keptIn(value: string): string[] {
  const where: string[] = [];
  const own = [LOG_KEY, MEMORY_KEY];
  const holds = (area: Storage) =>
    Array.from({ length: area.length }, (_, i) => area.key(i)!)
      .filter((key) => !own.includes(key))
      .some((key) => (area.getItem(key) ?? '').includes(value));
  if (holds(sessionStorage)) where.push('sessionStorage');
  if (holds(localStorage)) where.push('localStorage');
  if (document.cookie.includes(value)) where.push('cookie');
  return where;
}

function state(): IntegrationState {
  const visitorId = (window as unknown as { CV?: { user?: { visitorId?: () => string | null } } }).CV?.user?.visitorId?.() ?? null;
  return {
    workspaceId: config.workspaceId,
    vendorBase: config.vendorBase,
    page: location.href,
    signedIn: signedIn(),
    taggedHere,
    visitorId,
    visitorIdIn: visitorId ? keptIn(visitorId) : [],
    lastApiStatus,
    tokenRefused,
    log: [...log],
  };
}

// Read by the harness (a failed test's report) and by the extension's panel.
// The panel's buttons: tag as one of the adapter's accounts, or reset, as the site would.
const tagAs = (name: string): void => {
  const profile = config.accounts[name];
  if (profile) call('tag', name, () => cv().user.tag(profile));
};
const resetNow = (): void => call('reset', taggedHere, () => cv().user.reset());
Object.defineProperty(window, '__cvHarness', {
  value: { config: { ...config, accounts: Object.keys(config.accounts) }, log, state, tagAs, resetNow },
  configurable: true,
});

/**
 * What the widget asks of the vendor, seen without touching it: the browser's resource timing
 * (a call is listed once its response has ended; an open event stream shows when it ends).
 */
function watchApiCalls(): void {
  if (typeof PerformanceObserver === 'undefined') return;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      if (!entry.name.startsWith(config.vendorBase) || entry.name.includes('/cdn/js/')) continue;
      const status = (entry as PerformanceResourceTiming & { responseStatus?: number }).responseStatus ?? 0;
      lastApiStatus = status || lastApiStatus;
      if (status === 401) tokenRefused = true;
      note({
        kind: 'api',
        detail: `${status || '?'} ${entry.name.slice(config.vendorBase.length).split('?')[0]} ${Math.round(entry.duration)} ms`,
      });
    }
  }).observe({ type: 'resource', buffered: true });
}

/** The widget's lifecycle events (C14), where it offers them. */
function watchWidgetEvents(): void {
  for (const type of ['cv:identity-changed', 'cv:history-loaded', 'cv:reset', 'cv:identity-rejected']) {
    addEventListener(type, (event) => {
      if (type === 'cv:reset') tokenRefused = false;
      note({ kind: 'event', detail: `${type} ${JSON.stringify((event as CustomEvent).detail)}` });
    });
  }
}

function installSnippet(): void {
  const w = window as unknown as { CV?: unknown };
  if (w.CV) return;
  const q: unknown[] = [];
  const stub =
    (method: string) =>
    (...args: unknown[]) =>
      new Promise<void>((resolve, reject) => q.push([method, args, resolve, reject]));
  w.CV = { q, user: { tag: stub('tag'), reset: stub('reset') } } satisfies Queue;
}

function runWidget(): void {
  const src = `${config.vendorBase}/cdn/js/${config.workspaceId}.js`;
  const script = { src, getAttribute: (name: string) => (name === 'src' ? src : null), dataset: {} };
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script });
  try {
    CV_HARNESS_WIDGET();
    note({ kind: 'widget', detail: 'the widget ran' });
  } catch (err) {
    note({ kind: 'error', detail: `the widget threw while starting: ${String(err)}` });
    console.error('[cv-harness] the widget threw while starting:', err);
  } finally {
    delete (document as unknown as { currentScript?: unknown }).currentScript;
  }
}

/** Who the page shows signed in: a name, null for nobody, undefined while the page cannot tell yet. */
function signedIn(): string | null | undefined {
  const probe = config.signedIn;
  if (probe.ready && !document.querySelector(probe.ready)) return undefined;
  if (probe.kind === 'storage') {
    const area = probe.area === 'local' ? localStorage : sessionStorage;
    return area.getItem(probe.key) || null;
  }
  const who = document.querySelector(probe.who);
  if (!who) return null;
  const value = probe.attribute ? who.getAttribute(probe.attribute) : who.textContent;
  return value?.trim() || null;
}

const cv = (): CVLike => (window as unknown as { CV: CVLike }).CV;
/** The user this document has tagged (it tags once per document, and again on a switch). */
let taggedHere: string | null = null;

function call(kind: 'tag' | 'reset', who: string | null, run: () => Promise<void>): void {
  note({ kind, detail: who ?? '' });
  run().then(
    () => note({ kind: 'settled', detail: `${kind} ${who ?? ''}`.trim() }),
    (err: unknown) => note({ kind: 'error', detail: `${kind} ${who ?? ''} failed: ${String(err)}` }),
  );
}

function decide(): void {
  const now = signedIn();
  if (now === undefined) return;
  if (now) {
    localStorage.setItem(MEMORY_KEY, now);
    if (taggedHere === now) return;
    taggedHere = now;
    const profile = config.accounts[now];
    if (!profile) {
      note({ kind: 'error', detail: `the page shows "${now}" signed in, who is none of the adapter's accounts: not tagged` });
      return;
    }
    call('tag', now, () => cv().user.tag(profile));
    return;
  }
  const last = localStorage.getItem(MEMORY_KEY);
  taggedHere = null;
  if (!last) return;
  localStorage.removeItem(MEMORY_KEY);
  call('reset', last, () => cv().user.reset());
}

function watch(): void {
  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      decide();
    });
  };
  decide();
  new MutationObserver(soon).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  addEventListener('storage', soon);
  addEventListener('pageshow', soon);
}

installSnippet();
watchApiCalls();
watchWidgetEvents();
runWidget();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch, { once: true });
else watch();
