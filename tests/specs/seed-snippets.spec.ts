/**
 * C7 — The vendor's own snippets from the use-case page (the seed) work against the widget.
 *
 * They are copied as printed, with one change the page forced on us: its scraped copy shows
 * every address as "[email protected]" (an e-mail obfuscator's placeholder), so real
 * addresses stand in for them. The assignedUser snippet lacks a comma after that property;
 * the spec proves it is a syntax error as printed and runs the corrected one.
 */
import { expect, test } from '../fixtures.js';
import { customerOf } from '../support/admin-client.js';
import { JOHN, customersWhoWrote } from '../support/people.js';

const TAG_SNIPPET = `CV.user.tag({
    "email": "john.doe@example.com",
    "firstname": "John",
    "lastname": "Doe",
    "labels": []
})`;

const RESET_SNIPPET = `CV.user.reset();`;

const ASSIGNED_SNIPPET_AS_PRINTED = `CV.user.tag({
    "email": "john.doe@example.com",
    "firstname": "John",
    "lastname": "Doe",
    "assignedUser": "anna.agent@example.com"
    "labels": []
})`;

const ASSIGNED_SNIPPET_CORRECTED = ASSIGNED_SNIPPET_AS_PRINTED.replace(
  '"assignedUser": "anna.agent@example.com"\n',
  '"assignedUser": "anna.agent@example.com",\n',
);

/** Runs a snippet as a page script would, and waits for the Promise the call returns. */
const runSnippet = (code: string) => `(async () => { await ${code.replace(/;\s*$/, '')}; return 'settled'; })()`;

test.describe('C7 the seed snippets', () => {
  test.use({
    seed: customersWhoWrote({ [JOHN]: ['Earlier question from John'] }),
  });

  test("[C7.1] the tag snippet shows John's history and the reset snippet empties the chat", async ({ page, site, widget, workspace }) => {
    await site.gotoHome();
    await widget.open();
    expect(await page.evaluate(runSnippet(TAG_SNIPPET))).toBe('settled');
    await expect(widget.messages).toHaveText(['Earlier question from John']);
    const john = customerOf(await workspace.data(), JOHN);
    expect(john).toMatchObject({ firstname: 'John', lastname: 'Doe', labels: [] });

    expect(await page.evaluate(runSnippet(RESET_SNIPPET))).toBe('settled');
    await expect(widget.messages).toHaveCount(0);
  });

  test('[C7.2] the assignedUser snippet is a syntax error as printed; corrected, it assigns the agent', async ({
    page,
    site,
    widget,
    agent,
  }) => {
    await site.gotoHome();
    await widget.open();
    const parseError = await page.evaluate((code) => {
      try {
        new Function(code);
        return 'parsed';
      } catch (err) {
        return (err as Error).name;
      }
    }, ASSIGNED_SNIPPET_AS_PRINTED);
    expect(parseError).toBe('SyntaxError');

    expect(await page.evaluate(runSnippet(ASSIGNED_SNIPPET_CORRECTED))).toBe('settled');
    await expect(widget.assignedAgent).toHaveText('Anna Agent');
    expect((await agent.conversationOf(JOHN)).assignedAgent).toBe('anna.agent@example.com');
  });
});
