/**
 * Records every text any widget ever puts on screen, in the page and in every shadow root
 * (open or closed), across navigations, from before the first script of each document runs.
 * A spec marks a moment, acts, and then asks which texts appeared after the mark: that is
 * how "the previous customer's messages never appeared, not even for a frame" is measured
 * rather than sampled.
 */
import type { BrowserContext, Page } from '@playwright/test';

interface Shown {
  at: number;
  text: string;
  /** True for what was on screen when the page came back from the back/forward cache. */
  restored?: boolean;
}

/** Runs in every document before its own scripts. */
function observeScreen() {
  const w = window as unknown as {
    __cvScreenShown: (batch: { at: number; text: string; restored?: boolean }[]) => Promise<void>;
    __cvScreenIdle?: () => Promise<void>;
  };
  let pending = Promise.resolve();
  const now = () => performance.timeOrigin + performance.now();
  const roots: Node[] = [document];
  const record = (texts: string[], restored = false) => {
    const at = now();
    const batch = texts
      .map((t) => t.trim())
      .filter(Boolean)
      .map((text) => ({ at, text, ...(restored ? { restored } : {}) }));
    if (batch.length) pending = pending.then(() => w.__cvScreenShown(batch)).catch(() => undefined);
  };
  const observer = new MutationObserver((mutations) => {
    const texts: string[] = [];
    for (const m of mutations) {
      if (m.type === 'characterData') texts.push(m.target.textContent ?? '');
      for (const node of m.addedNodes) texts.push(node.textContent ?? '');
    }
    record(texts);
  });
  const watch = (root: Node) => observer.observe(root, { childList: true, subtree: true, characterData: true });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init: ShadowRootInit) {
    const root = attachShadow.call(this, init);
    roots.push(root);
    watch(root);
    return root;
  };
  watch(document);
  // A page restored from the back/forward cache shows its old DOM at once, with no mutation:
  // record all of it, before any script of the page can react (this listener runs first).
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    // A report sent as the page went into the cache may never be answered (the page was frozen):
    // waiting on it would hang. What the restored page shows is recorded whole just below.
    pending = Promise.resolve();
    record(['(restored from the back/forward cache)', ...roots.map((r) => r.textContent ?? '')], true);
  });
  w.__cvScreenIdle = () => pending;
}

export class ScreenRecorder {
  private readonly shown: Shown[] = [];

  static async install(context: BrowserContext): Promise<ScreenRecorder> {
    const recorder = new ScreenRecorder();
    await context.exposeFunction('__cvScreenShown', (batch: Shown[]) => {
      recorder.shown.push(...batch);
    });
    await context.addInitScript(observeScreen);
    return recorder;
  }

  /** A moment in the page's clock: texts shown later count as shown "after" it. */
  async mark(page: Page): Promise<number> {
    await this.settle(page);
    return page.evaluate(() => performance.timeOrigin + performance.now());
  }

  /** How many times a page came back from the back/forward cache since the mark. */
  async restoresSince(page: Page, mark: number): Promise<number> {
    await this.settle(page);
    return this.shown.filter((s) => s.at > mark && s.text === '(restored from the back/forward cache)').length;
  }

  /** Every text shown since the mark, once the page has reported all it recorded. */
  async shownSince(page: Page, mark: number): Promise<string[]> {
    await this.settle(page);
    return this.shown.filter((s) => s.at > mark).map((s) => s.text);
  }

  private async settle(page: Page): Promise<void> {
    await page.evaluate(() => (window as unknown as { __cvScreenIdle?: () => Promise<void> }).__cvScreenIdle?.());
  }
}
