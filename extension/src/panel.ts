/**
 * The extension's panel (its popup, or a tab opened at panel.html?tab=<id>): the live identity
 * state of the widget in a tab, read from the injected integration every half second, with a
 * log of what it did and saw, and buttons to tag as a test account or to reset.
 */
import type { IntegrationState } from '../injection-config.js';

interface ChromeApi {
  tabs: { query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
  scripting: {
    executeScript<A extends unknown[], R>(options: {
      target: { tabId: number };
      world: 'MAIN';
      func: (...args: A) => R;
      args?: A;
    }): Promise<{ result?: R }[]>;
  };
}
declare const chrome: ChromeApi;

type Harness = { state(): IntegrationState; config: { accounts: string[] }; tagAs(name: string): void; resetNow(): void };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function targetTab(): Promise<number> {
  const fromUrl = Number(new URLSearchParams(location.search).get('tab'));
  if (fromUrl) return fromUrl;
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (active?.id === undefined) throw new Error('no active tab');
  return active.id;
}

function inPage<A extends unknown[], R>(tabId: number, func: (...args: A) => R, ...args: A): Promise<R | undefined> {
  return chrome.scripting.executeScript({ target: { tabId }, world: 'MAIN', func, args }).then((r) => r[0]?.result);
}

function row(list: HTMLElement, term: string, value: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

let accountsShown = false;

function render(state: IntegrationState, accounts: string[]): void {
  $('status').textContent = `Widget found on ${state.page}`;
  const list = $<HTMLDListElement>('state');
  list.replaceChildren();
  row(list, 'Workspace', state.workspaceId);
  row(list, 'Vendor', state.vendorBase);
  const mode = state.visitorIdIn.includes('sessionStorage') ? 'session' : state.visitorIdIn.includes('localStorage') ? 'local' : 'unknown';
  row(list, 'Id mode', `${mode} (from where the id is kept)`);
  row(list, 'Visitor id', state.visitorId ?? 'none yet');
  row(list, 'Kept in', state.visitorIdIn.join(', ') || '—');
  row(list, 'Page shows signed in', state.signedIn === undefined ? 'cannot tell yet' : (state.signedIn ?? 'nobody'));
  row(list, 'Tagged as', state.taggedHere ?? 'nobody (anonymous)');
  row(list, 'Token', state.tokenRefused ? 'refused (401)' : 'accepted');
  row(list, 'Last API status', state.lastApiStatus === null ? '—' : String(state.lastApiStatus));
  if (!accountsShown) {
    $<HTMLSelectElement>('account').replaceChildren(...accounts.map((a) => new Option(a, a)));
    accountsShown = true;
  }
  const log = $<HTMLOListElement>('log');
  log.replaceChildren(
    ...state.log
      .slice()
      .reverse()
      .map((e) => {
        const li = document.createElement('li');
        li.textContent = `${new Date(e.at).toISOString().slice(11, 23)} ${e.kind} ${e.detail}`;
        if (e.kind === 'error') li.className = 'error';
        return li;
      }),
  );
}

async function refresh(tabId: number): Promise<void> {
  try {
    const snapshot = await inPage(tabId, () => {
      const h = (window as unknown as { __cvHarness?: Harness }).__cvHarness;
      return h ? { state: h.state(), accounts: h.config.accounts } : null;
    });
    if (snapshot) render(snapshot.state, snapshot.accounts);
    else $('status').textContent = 'No injected widget in this tab (is it a page of the site under test?)';
  } catch (err) {
    $('status').textContent = `Cannot read the tab: ${String(err)}`;
  }
}

const tabId = await targetTab();
$('tag').addEventListener('click', () => {
  const name = $<HTMLSelectElement>('account').value;
  void inPage(tabId, (n: string) => (window as unknown as { __cvHarness?: Harness }).__cvHarness?.tagAs(n), name);
});
$('reset').addEventListener('click', () => {
  void inPage(tabId, () => (window as unknown as { __cvHarness?: Harness }).__cvHarness?.resetNow());
});
await refresh(tabId);
setInterval(() => void refresh(tabId), 500);
