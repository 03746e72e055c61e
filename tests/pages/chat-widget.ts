/**
 * The chat widget on a page, found the way a person with a screen reader finds it: by roles
 * and accessible names (docs/CONTRACT.md, clause C0). It works with any widget that meets the
 * contract, not only the reference one. Locates and acts; the specs assert.
 */
import type { Locator, Page } from '@playwright/test';

/** What a `CV.user.*` call settled with, brought back from the page. */
export type CallOutcome = { ok: true } | { ok: false; name: string; message: string; code?: string };

export type SendKey = 'button' | 'enter';

/**
 * Page functions are polled on a timer, not on animation frames (Playwright's default): a tab
 * behind another in the same window (the extension's persistent profile) gets no frames, and
 * would never be asked.
 */
const POLL = { polling: 50 } as const;

export class ChatWidget {
  readonly launcher: Locator;
  readonly panel: Locator;
  readonly messageList: Locator;
  /** One per message on screen, oldest first. */
  readonly messages: Locator;
  readonly assignedAgent: Locator;
  /** The button that offers older messages, for a widget that has one (C0.4). */
  readonly earlierButton: Locator;
  readonly messageBox: Locator;
  readonly sendButton: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.launcher = page.getByRole('button', { name: 'Chat', exact: true });
    this.panel = page.getByRole('dialog', { name: 'Chat' });
    this.messageList = this.panel.getByRole('list', { name: 'Messages' });
    this.messages = this.messageList.getByRole('listitem');
    this.assignedAgent = this.panel.getByRole('note', { name: 'Assigned agent' });
    this.earlierButton = this.panel.getByRole('button', { name: /earlier/i });
    this.messageBox = this.panel.getByRole('textbox', { name: 'Message' });
    this.sendButton = this.panel.getByRole('button', { name: 'Send' });
    this.alert = this.panel.getByRole('alert');
  }

  /** Opens the panel unless it is open already. */
  async open(): Promise<void> {
    if ((await this.launcher.getAttribute('aria-expanded')) !== 'true') await this.launcher.click();
  }

  /** Scrolls the messages up as far as they go, as a person does to read what came before. */
  async scrollUp(): Promise<void> {
    await this.messageList.hover();
    await this.page.mouse.wheel(0, -100_000);
  }

  /** Scrolls the messages down to the latest. */
  async scrollDown(): Promise<void> {
    await this.messageList.hover();
    await this.page.mouse.wheel(0, 100_000);
  }

  /** Types a message and sends it with the Send button, or with the Enter key as most people do. */
  async send(text: string, by: SendKey = 'button'): Promise<void> {
    await this.open();
    await this.messageBox.fill(text);
    if (by === 'enter') await this.messageBox.press('Enter');
    else await this.sendButton.click();
  }

  /** Sends and waits until the message is on screen, so the next step starts from it. */
  async sendAndWait(text: string, by: SendKey = 'button'): Promise<void> {
    await this.send(text, by);
    await this.messages.filter({ hasText: text }).last().waitFor();
  }

  /** Resolves once the widget's script has run (the real CV, not the queueing stub), visitor or not. */
  async scriptRan(): Promise<void> {
    await this.page.waitForFunction(
      () => typeof (window as { CV?: { user?: { visitorId?: unknown } } }).CV?.user?.visitorId === 'function',
      undefined,
      POLL,
    );
  }

  /** The widget's current visitor id, once it has one. */
  async visitorId(): Promise<string> {
    const handle = await this.page.waitForFunction(
      () => {
        const cv = (window as { CV?: { user?: { visitorId?: () => string | null } } }).CV;
        return typeof cv?.user?.visitorId === 'function' ? cv.user.visitorId() : null;
      },
      undefined,
      POLL,
    );
    return (await handle.jsonValue()) as string;
  }

  /** The optional features of the contract the widget declares in `CV.features`. */
  async features(): Promise<string[]> {
    await this.visitorId(); // the real widget has arrived, not just the queueing stub
    return this.page.evaluate(() => {
      const features = (window as { CV?: { features?: unknown } }).CV?.features;
      return Array.isArray(features) ? features.map(String) : [];
    });
  }

  /** Calls CV.user.tag in the page and reports how its Promise settled. */
  tag(user: unknown): Promise<CallOutcome> {
    return this.call('tag', user);
  }

  reset(): Promise<CallOutcome> {
    return this.call('reset');
  }

  /** A logout that does not wait: calls CV.user.reset() and, in the same task, leaves for `path`. */
  async resetAndLeave(path: string): Promise<void> {
    await this.page.evaluate((to) => {
      void (window as unknown as { CV: { user: { reset: () => Promise<void> } } }).CV.user.reset().catch(() => undefined);
      window.location.assign(to);
    }, path);
    await this.page.waitForURL((url) => url.pathname === path);
  }

  private call(method: 'tag' | 'reset', ...args: unknown[]): Promise<CallOutcome> {
    return this.page.evaluate(
      async ({ method, args }) => {
        try {
          const user = (window as unknown as { CV: { user: Record<string, (...a: unknown[]) => Promise<unknown>> } }).CV.user;
          await user[method]!(...args);
          return { ok: true as const };
        } catch (err) {
          const e = err as { name?: string; message?: string; code?: string };
          return { ok: false as const, name: String(e?.name), message: String(e?.message), code: e?.code };
        }
      },
      { method, args },
    );
  }
}
