/**
 * The widget's UI, inside an open shadow root so the host page's CSS cannot break it and
 * tests can still reach it. Every control has a role and an accessible name (they are part of
 * the contract: tests and assistive technology find them the same way):
 *
 *   button "Chat" (aria-expanded)    opens and closes the panel
 *   dialog "Chat"                    the panel
 *     note "Assigned agent"          the agent this customer is routed to, when there is one
 *     button "Show earlier messages" above the list while older history is left to load; it loads
 *                                    the page before when pressed or scrolled into view
 *     list "Messages"                one listitem per message, oldest first; its text is the message
 *     textbox "Message", button "Send"
 *     alert                          what went wrong, when something did
 *
 * Message text, names and labels are only ever set through textContent: never parsed as HTML.
 * Styles are a constructed stylesheet, which a strict Content-Security-Policy allows.
 */
import type { PublicAgent, WireMessage } from '../../protocol/messages.js';
import type { SessionView } from '../../protocol/widget-api.js';

const CSS = `
:host { all: initial; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 24px;
  padding: 12px 20px; background: #1f5eff; color: #fff; font: 600 15px system-ui, sans-serif; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.panel { position: fixed; right: 20px; bottom: 76px; z-index: 2147483000; width: 340px; max-height: 480px;
  display: flex; flex-direction: column; background: #fff; color: #1b1b1f; border-radius: 12px;
  box-shadow: 0 8px 30px rgba(0,0,0,.25); font: 14px/1.4 system-ui, sans-serif; overflow: hidden; }
.panel[hidden] { display: none; }
header { padding: 12px 16px; background: #1f5eff; color: #fff; }
header h2 { margin: 0; font-size: 16px; }
.agent { margin: 4px 0 0; font-size: 13px; opacity: .9; }
.agent::before { content: 'Your agent: '; }
.agent[hidden] { display: none; }
.scroller { overflow-y: auto; flex: 1; min-height: 160px; }
.earlier { display: block; margin: 8px auto 0; border: 1px solid #c9ccd3; border-radius: 12px; padding: 4px 12px;
  background: #fff; color: #1f5eff; font: 13px system-ui, sans-serif; cursor: pointer; }
.earlier[hidden] { display: none; }
ol { list-style: none; margin: 0; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
li, .agent { unicode-bidi: isolate; }
li { max-width: 80%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
li[data-author="visitor"] { align-self: flex-end; background: #1f5eff; color: #fff; }
li[data-author="agent"] { align-self: flex-start; background: #eef0f5; }
li[data-author="agent"]::before { content: attr(data-agent-name); display: block; font-size: 12px; font-weight: 600; color: #555; }
.empty { color: #777; text-align: center; margin: 12px 0 0; }
.empty[hidden] { display: none; }
.alert { margin: 0; padding: 6px 12px; background: #fde8e8; color: #8a1c1c; font-size: 13px; }
.alert:empty { display: none; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e5ea; }
textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #c9ccd3; border-radius: 8px; }
form button { border: 0; border-radius: 8px; padding: 0 16px; background: #1f5eff; color: #fff; font: 600 14px system-ui, sans-serif; cursor: pointer; }
`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export class View {
  readonly host = el('div', { id: 'cv-widget' });
  private readonly launcher = el(
    'button',
    { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'cv-panel' },
    'Chat',
  );
  private readonly panel = el('section', { id: 'cv-panel', class: 'panel', role: 'dialog', 'aria-label': 'Chat' });
  private readonly agent = el('p', { class: 'agent', role: 'note', 'aria-label': 'Assigned agent', dir: 'auto' });
  private readonly list = el('ol', { 'aria-label': 'Messages', 'aria-live': 'polite' });
  private readonly scroller = el('div', { class: 'scroller' });
  private readonly earlier = el('button', { type: 'button', class: 'earlier' }, 'Show earlier messages');
  private readonly empty = el('p', { class: 'empty' }, 'No messages yet. Say hello!');
  private readonly alert = el('p', { class: 'alert', role: 'alert' });
  private readonly input = el('textarea', { 'aria-label': 'Message', rows: '2', placeholder: 'Write a message…', maxlength: '5000' });
  private readonly shown = new Set<string>();

  constructor(
    onSend: (text: string) => Promise<boolean>,
    private readonly onEarlier: () => void,
  ) {
    const root = this.host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];

    const header = el('header');
    header.append(el('h2', {}, 'Chat with us'), this.agent);
    const form = el('form');
    form.append(this.input, el('button', { type: 'submit' }, 'Send'));
    this.panel.hidden = true;
    this.agent.hidden = true;
    this.earlier.hidden = true;
    this.scroller.append(this.earlier, this.list);
    this.panel.append(header, this.empty, this.scroller, this.alert, form);
    this.earlier.addEventListener('click', () => this.onEarlier());
    // Scrolled up to the top: the visitor wants what came before.
    new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.onEarlier(), { root: this.scroller }).observe(
      this.earlier,
    );
    root.append(this.launcher, this.panel);

    this.launcher.addEventListener('click', () => this.setOpen(this.panel.hidden));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      void onSend(text).then((sent) => {
        if (sent && this.input.value.trim() === text) this.input.value = '';
      });
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  mount(): void {
    const attach = () => document.body.append(this.host);
    if (document.body) attach();
    else document.addEventListener('DOMContentLoaded', attach, { once: true });
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.input.focus();
    }
  }

  /** Replaces everything on screen with a session's history and agent. */
  showSession(session: SessionView): void {
    this.clear();
    this.catchUp(session);
  }

  /** Adds what the session holds that is not on screen yet, in order; removes nothing. */
  catchUp(session: SessionView): void {
    for (const message of session.messages) this.add(message);
    this.setAgent(session.assignedAgent);
  }

  /** Forgets what was typed and not sent: it was the previous visitor's. */
  forgetDraft(): void {
    this.input.value = '';
  }

  /** The sequence number of the newest message on screen, or null when none is. */
  newestSeq(): number | null {
    const last = this.list.lastElementChild as HTMLElement | null;
    return last ? Number(last.dataset.seq) : null;
  }

  /** Whether older history is left to load, and whether it is loading now. */
  setEarlier(state: 'none' | 'more' | 'loading'): void {
    this.earlier.hidden = state === 'none';
    this.earlier.disabled = state === 'loading';
    const label = state === 'loading' ? 'Loading earlier messages…' : 'Show earlier messages';
    if (this.earlier.textContent !== label) this.earlier.textContent = label;
  }

  /** Puts an older page above what is shown, keeping in view what the visitor was looking at. */
  prepend(messages: WireMessage[]): void {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    for (const message of messages) this.insert(message);
    this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  /** Empties the panel: no message, no agent, no error, no older history. */
  clear(): void {
    this.shown.clear();
    this.list.replaceChildren();
    this.setEarlier('none');
    this.empty.hidden = false;
    this.setAgent(null);
    this.showError('');
  }

  /** Adds a message in its place unless it is already on screen (a pushed echo of one we sent),
   * and scrolls to the latest. */
  add(message: WireMessage): void {
    if (this.insert(message)) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private insert(message: WireMessage): boolean {
    if (this.shown.has(message.id)) return false;
    this.shown.add(message.id);
    this.empty.hidden = true;
    // dir=auto isolates the text: a bidi override inside a message cannot reorder anything outside it.
    const item = el('li', { 'data-author': message.author, 'data-seq': String(message.seq), dir: 'auto' }, message.text);
    if (message.agent) item.setAttribute('data-agent-name', message.agent.name);
    // The place after the last message not newer than this one, looked for from the end: most
    // messages go last.
    const items = this.list.children;
    let at = items.length;
    while (at > 0 && Number((items[at - 1] as HTMLElement).dataset.seq) > message.seq) at -= 1;
    this.list.insertBefore(item, items[at] ?? null);
    return true;
  }

  setAgent(agent: PublicAgent | null): void {
    this.agent.textContent = agent ? agent.name : '';
    this.agent.hidden = !agent;
  }

  showError(text: string): void {
    this.alert.textContent = text;
  }
}
