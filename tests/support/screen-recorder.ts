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
}

/** Runs in every document before its own scripts. */
function observeScreen() {
  const w = window as unknown as {
    __cvScreenShown: (batch: { at: number; text: string }[]) => Promise<void>;
    __cvScreenIdle?: () => Promise<void>;
  };
  let pending = Promise.resolve();
  const now = () => performance.timeOrigin + performance.now();
  const record = (texts: string[]) => {
    const at = now();
    const batch = texts
      .map((t) => t.trim())
      .filter(Boolean)
      .map((text) => ({ at, text }));
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
    watch(root);
    return root;
  };
  watch(document);
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

  /** Every text shown since the mark, once the page has reported all it recorded. */
  async shownSince(page: Page, mark: number): Promise<string[]> {
    await this.settle(page);
    return this.shown.filter((s) => s.at > mark).map((s) => s.text);
  }

  private async settle(page: Page): Promise<void> {
    await page.evaluate(() => (window as unknown as { __cvScreenIdle?: () => Promise<void> }).__cvScreenIdle?.());
  }
}
