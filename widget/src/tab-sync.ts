/**
 * Logout is for the whole browser: a reset in one tab reaches every other open tab of the
 * same workspace in the same browser profile, through a BroadcastChannel named after the
 * workspace (so two workspaces on one origin never reset each other). The channel is closed
 * while the page sits in the back/forward cache and opened again when it comes back.
 */
export type TabMessage =
  /** A reset began: empty the chat now (in session mode, each tab then starts over on its own).
   * In local mode a switch of customer sends it too: it replaces the visitor the tabs share. */
  | { type: 'reset-started' }
  /** The reset is done; in local mode the tabs share the new visitor, which it names (with its
   * token: the channel is the origin's own, as localStorage is). Another tab's localStorage may
   * show the new visitor later than this message arrives, so tabs take it from here. It may
   * never come: a logout can leave its page as soon as it has called reset(). */
  | { type: 'reset-done'; visitorId: string; token: string };

export class TabSync {
  private channel: BroadcastChannel | undefined;

  constructor(
    private readonly name: string,
    private readonly onMessage: (message: TabMessage) => void,
  ) {}

  open(): void {
    if (this.channel || typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(this.name);
    this.channel.onmessage = (event: MessageEvent<TabMessage>) => this.onMessage(event.data);
  }

  close(): void {
    this.channel?.close();
    this.channel = undefined;
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }
}
