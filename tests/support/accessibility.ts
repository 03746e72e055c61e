/**
 * An axe-core audit of the widget alone, on whatever site it is on: the rules of WCAG 2.0 and
 * 2.1, levels A and AA, over the widget's own DOM (its shadow root included), not the site's.
 * Returns the serious and critical violations, one line each, so a failing assertion reads as
 * a list of what to fix.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { ChatWidget } from '../pages/chat-widget.js';

const MARK = 'data-cv-harness-audit';

export async function widgetViolations(page: Page, widget: ChatWidget): Promise<string[]> {
  // The widget's outermost element: the host of the shadow root its launcher lives in, or,
  // for a widget without one, the launcher's parent.
  await widget.launcher.evaluate((launcher, mark) => {
    const root = launcher.getRootNode();
    const outer = root instanceof ShadowRoot ? root.host : (launcher.parentElement ?? launcher);
    outer.setAttribute(mark, '');
  }, MARK);
  const results = await new AxeBuilder({ page }).include(`[${MARK}]`).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}
