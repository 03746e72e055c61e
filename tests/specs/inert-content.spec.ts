/**
 * C19 — Inert content: message text, agent names, customer names and labels that carry HTML,
 * script, event-handler attributes, `javascript:` links or bidi overrides are data. The widget
 * shows them as text, nothing in them runs, and a bidi override cannot reorder the text
 * around it. (C6.3 covers message text alone.)
 */
import type { Locator } from '@playwright/test';
import { embedWorkspace, expect, test } from '../fixtures.js';
import { PWNED, watchPayloads } from '../support/page-probes.js';
import { customerOf } from '../support/admin-client.js';
import { JOHN } from '../support/people.js';

const RLO = '\u202E'; // right-to-left override
const PDF = '\u202C'; // pop directional formatting

/** One payload per way markup could come alive, each reporting where it ran from. */
const payload = (where: string) =>
  [
    `<img src=x onerror="${PWNED}('${where} img')">`,
    `<script>${PWNED}('${where} script')</script>`,
    `<svg onload="${PWNED}('${where} svg')"></svg>`,
    `<a href="javascript:${PWNED}('${where} link')">open</a>`,
    `<iframe srcdoc="<script>parent.${PWNED}('${where} iframe')</script>"></iframe>`,
  ].join('');

const AGENT_NAME = `${RLO}tnegA<b onmouseover="${PWNED}('agent name')">Eve</b>${PDF}`;
const ACTIVE_ELEMENTS = 'img, script, svg, iframe, a, b, [onerror], [onload], [onmouseover]';

async function expectIsolated(element: Locator): Promise<void> {
  const bidi = await element.evaluate((el) => getComputedStyle(el).unicodeBidi);
  expect(['isolate', 'plaintext', 'isolate-override'], 'the element isolates its bidirectional text').toContain(bidi);
}

test.describe('C19 inert content', () => {
  test('[C19.1] agent names and replies carrying markup or a bidi override are shown as text; nothing runs', async ({
    page,
    context,
    newWorkspace,
    embed,
    site,
    widget,
  }) => {
    const ran = await watchPayloads(page);
    const agentEmail = 'eve.agent@example.com';
    const reply = `${payload('agent reply')} ${RLO}!won ti nepo${PDF}`;
    const ws = await newWorkspace({
      name: 'C19.1 hostile agent',
      agents: [{ email: agentEmail, name: AGENT_NAME }],
      customers: [{ email: JOHN, assignedUser: agentEmail, messages: [{ from: agentEmail, text: reply }] }],
    });
    await embedWorkspace(context, ws.id, embed);

    await site.login(JOHN);
    await widget.open();
    await widget.sendAndWait(payload('visitor message'));
    await expect(widget.messages).toHaveText([reply, payload('visitor message')]);
    await expect(widget.assignedAgent).toHaveText(AGENT_NAME);
    for (const item of await widget.messages.all()) {
      await item.click();
      await expectIsolated(item);
    }
    await widget.assignedAgent.hover();
    await expectIsolated(widget.assignedAgent);
    await expect(widget.messageList.locator(ACTIVE_ELEMENTS)).toHaveCount(0);
    await expect(widget.assignedAgent.locator(ACTIVE_ELEMENTS)).toHaveCount(0);
    expect(ran).toEqual([]);
  });

  test('[C19.2] names and labels carrying markup are kept as text, nothing runs, and the widget keeps working', async ({
    page,
    site,
    widget,
    workspace,
  }) => {
    const ran = await watchPayloads(page);
    const user = {
      email: 'ann@example.com',
      // Names and labels are short fields (200 and 100 characters): one payload each.
      firstname: `<svg onload="${PWNED}('firstname')"></svg><script>${PWNED}('firstname script')</script>`,
      lastname: `${RLO}eoD${PDF}<img src=x onerror="${PWNED}('lastname')">`,
      labels: [`<a href="javascript:${PWNED}('label')">vip</a>`, `javascript:${PWNED}('label link')`],
    };
    await site.gotoHome();
    await widget.sendAndWait('Hello before tagging');
    expect(await widget.tag(user)).toEqual({ ok: true });
    await widget.sendAndWait('Still working');
    await expect(widget.messages).toHaveText(['Hello before tagging', 'Still working']);

    const stored = customerOf(await workspace.data(), user.email)!;
    expect(stored).toMatchObject({ firstname: user.firstname, lastname: user.lastname, labels: user.labels });
    expect(ran).toEqual([]);
  });
});
