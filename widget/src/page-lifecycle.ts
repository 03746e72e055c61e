/**
 * The page's own lifecycle, as the widget must follow it: when the page's scripts have run,
 * and when the page goes into the back/forward cache and comes back from it.
 */

/**
 * Resolves once the page's own scripts have run: its parser-run and deferred scripts, and its
 * DOMContentLoaded listeners. readyState alone cannot tell: an async script may run while it
 * is already "interactive" but before the deferred scripts, so Navigation Timing says whether
 * DOMContentLoaded has fired; after it does, one task lets every listener of it run.
 */
export function domReady(): Promise<void> {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const fired =
    document.readyState === 'complete' || (navigation ? navigation.domContentLoadedEventStart > 0 : document.readyState !== 'loading');
  if (fired) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => setTimeout(resolve, 0), { once: true }));
}

export interface BackForwardCacheHandlers {
  /** The page is going into the cache, scripts and screen as they are. */
  stored(): void;
  /** The page came back from the cache: anything may have changed meanwhile. */
  restored(): void;
}

/** Calls the handlers when the page goes into the back/forward cache and when it is restored. */
export function followBackForwardCache(handlers: BackForwardCacheHandlers): void {
  window.addEventListener('pagehide', (event) => {
    if (event.persisted) handlers.stored();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) handlers.restored();
  });
}
