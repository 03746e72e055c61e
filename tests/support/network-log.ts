/**
 * Every response body a page received, as text: what "the page never got the victim's
 * messages" is checked against. Event streams are left out (they never end); a visitor only
 * ever gets a conversation's events after being attached to it, which the specs check on the
 * server.
 */
import type { Page, Response } from '@playwright/test';

export class NetworkLog {
  private readonly reads: Promise<{ url: string; body: string }>[] = [];

  constructor(page: Page) {
    page.on('response', (response) => {
      if (!String(response.headers()['content-type']).includes('text/event-stream')) this.reads.push(this.read(response));
    });
  }

  /** The bodies received so far, each with its URL. */
  async bodies(): Promise<{ url: string; body: string }[]> {
    return Promise.all(this.reads);
  }

  /** The URLs of the responses whose body contains any of the texts. */
  async containing(texts: readonly string[]): Promise<string[]> {
    return (await this.bodies()).filter(({ body }) => texts.some((t) => body.includes(t))).map(({ url }) => url);
  }

  private async read(response: Response): Promise<{ url: string; body: string }> {
    const body = await response.text().catch(() => '');
    return { url: response.url(), body };
  }
}
