/**
 * An assertion for paged histories: the visitor scrolls the messages up, again and again, as a
 * person does, until the first message of the history is on screen. Any widget that loads
 * older pages as the visitor scrolls up passes; one that never does fails with the message.
 */
import { expect } from '@playwright/test';
import type { ChatWidget } from '../pages/chat-widget.js';

export async function expectScrolledBackTo(widget: ChatWidget, firstText: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await widget.scrollUp();
        return widget.messages.first().textContent();
      },
      { message: `scrolling up reaches the first message, "${firstText}"`, timeout: 60_000, intervals: [100, 250] },
    )
    .toBe(firstText);
}
