/**
 * Every URL a page asked for, and every response body it received, as text: what "the page
 * never got the victim's messages" and "no secret went into a URL" are checked against.
 * Event streams' bodies are left out (they never end); a visitor only ever gets a
 * conversation's events after being attached to it, which the specs check on the server.
 */
import type { Page, Response } from '@playwright/test';

/**
 * The visitor tokens the server issues to a page, taken from the registration answers
 * (`POST …/visitors`) as they pass through. Read at the route, not from the page's response
 * log: a page that navigates away drops the bodies it has not read.
 */
export async function watchIssuedTokens(page: Page): Promise<string[]> {
  const tokens: string[] = [];
  await page.route(/\/visitors$/, async (route) => {
    const response = await route.fetch();
    if (route.request().method() === 'POST' && response.ok()) tokens.push(((await response.json()) as { token: string }).token);
    // The page may have navigated away meanwhile; the token was issued all the same.
    await route.fulfill({ response }).catch(() => undefined);
  });
  return tokens;
}

export class NetworkLog {
  private readonly reads: Promise<{ url: string; body: string }>[] = [];
  /** Every URL requested, event streams included, in order. */
  readonly requested: string[] = [];

  constructor(page: Page) {
    page.on('request', (request) => this.requested.push(request.url()));
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
