/**
 * Entry of the reference widget. Finds its workspace and API base in its own script URL
 * (…/cdn/js/<workspaceId>.js), defines `window.CV`, runs the calls the queueing snippet
 * collected, in order, and then the page's `CVLoaded` hook, once.
 */
import { Client } from './client.js';
import { Controller } from './controller.js';
import { CVError } from './errors.js';
import { IdentityStore } from './identity-store.js';
import { View } from './view.js';

type Queued = [method: string, args: unknown[], resolve: (v: unknown) => void, reject: (e: unknown) => void];

interface CVGlobal {
  version: string;
  /** Optional features of the contract this build offers (docs/CONTRACT.md). */
  features: string[];
  user: {
    tag(user: unknown): Promise<void>;
    reset(): Promise<void>;
    /** The current visitor id (harness extension; null until the first one is issued). */
    visitorId(): string | null;
  };
}

declare global {
  interface Window {
    CV?: CVGlobal | { q?: Queued[] };
    CVLoaded?: unknown;
    CVLOADED?: unknown;
  }
}

function locate(): { base: string; workspaceId: string } | undefined {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  if (!src) return undefined;
  const url = new URL(src, location.href);
  const match = /^(.*)\/cdn\/js\/([A-Za-z0-9_-]+)\.js$/.exec(url.pathname);
  return match ? { base: url.origin + match[1], workspaceId: match[2]! } : undefined;
}

/** Calls the page's hook now, and any hook the page sets from now on, at once. */
function runLoadedHooks(): void {
  const hooks = new Set([window.CVLoaded, window.CVLOADED].filter((h): h is () => void => typeof h === 'function'));
  for (const name of ['CVLoaded', 'CVLOADED'] as const) {
    Object.defineProperty(window, name, {
      configurable: true,
      get: () => true,
      set: (hook: unknown) => {
        if (typeof hook === 'function') queueMicrotask(() => (hook as () => void)());
      },
    });
  }
  for (const hook of hooks) {
    try {
      hook();
    } catch (err) {
      console.error('[CV] the CVLoaded hook threw:', err);
    }
  }
}

function install(): void {
  const existing = window.CV;
  if (existing && 'version' in existing) {
    console.warn('[CV] the widget script was included twice; the second copy does nothing');
    return;
  }
  const where = locate();
  if (!where) {
    console.error('[CV] cannot tell the workspace: load the widget from …/cdn/js/<workspaceId>.js');
    return;
  }
  const client = new Client(where.base, where.workspaceId);
  const ids = new IdentityStore(where.workspaceId);
  // The view's buttons reach the controller, which is made right after it.
  const view: View = new View(
    (text): Promise<boolean> => controller.send(text),
    () => controller.loadEarlier(),
  );
  const controller: Controller = new Controller(client, ids, view, where.workspaceId);

  const cv: CVGlobal = {
    version: '1.0.0',
    features: ['events'],
    user: {
      tag: (user) => controller.tag(user),
      reset: () => controller.reset(),
      visitorId: () => controller.visitorId(),
    },
  };
  const queued = (existing && 'q' in existing && Array.isArray(existing.q) ? existing.q : []) as Queued[];
  window.CV = cv;
  view.mount();

  // Queued calls first, in order, then the visitor's own start-up: what the page asked for
  // before the widget arrived decides what is shown.
  for (const [method, args, resolve, reject] of queued) {
    const fn = (cv.user as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (typeof fn === 'function') fn(...args).then(resolve, reject);
    else reject(new CVError('unknown_method', `CV.user.${method} does not exist`));
  }
  controller.start();
  runLoadedHooks();
}

install();
