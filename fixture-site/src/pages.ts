/**
 * The fixture site's HTML. Every page embeds the widget: the queueing snippet, then the
 * widget script loaded async from the vendor's CDN path (through the site's first-party
 * proxy, or straight from the mock server). No inline script: the signed-in user reaches
 * site.js as a JSON data block, which a strict Content-Security-Policy allows.
 */
import type { SiteUser } from './users.js';

export interface PageContext {
  user?: SiteUser;
  /** What site.js passes to CV.user.tag for the signed-in user, proof included. */
  tagData?: unknown;
  /** The URL the widget script is loaded from; none when the site's chat integration is off. */
  widgetSrc?: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside <script type="application/json">: "<" escaped so no "</script>" can close it. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The site's chat integration: the queueing snippet, the widget, and site.js, which tags and resets. */
const integration = (widgetSrc: string) => `<script src="/assets/cv-snippet.js"></script>
  <script async src="${escapeHtml(widgetSrc)}"></script>
  <script defer src="/assets/site.js"></script>`;

function layout(title: string, ctx: PageContext, body: string): string {
  const nav = ctx.user
    ? `<span class="who" title="Signed in">${escapeHtml(ctx.user.email)}</span>
       <a href="/account">Account</a>
       <form method="post" action="/logout" class="logout" data-logout>
         <button type="submit">Log out</button>
       </form>`
    : `<a href="/login">Log in</a>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Example Shop</title>
  <link rel="stylesheet" href="/assets/site.css">
  ${ctx.widgetSrc ? integration(ctx.widgetSrc) : ''}
  ${ctx.tagData ? `<script type="application/json" id="cv-user">${jsonBlock(ctx.tagData)}</script>` : ''}
</head>
<body>
  <header>
    <a href="/" class="brand">Example Shop</a>
    <nav>${nav}</nav>
  </header>
  <main>
${body}
  </main>
</body>
</html>`;
}

export const homePage = (ctx: PageContext) =>
  layout(
    'Home',
    ctx,
    `<h1>Welcome to Example Shop</h1>
    <p>${ctx.user ? `Signed in as ${escapeHtml(ctx.user.email)}.` : 'You are browsing as a guest. Questions? Open the chat at the bottom right.'}</p>
    <ul>
      <li><a href="/help" target="_blank" rel="opener">Help centre</a> (opens in a new tab that keeps this one as its opener)</li>
      <li><a href="/help" target="_blank">Returns policy</a> (opens in a new tab, without an opener)</li>
    </ul>`,
  );

export const helpPage = (ctx: PageContext) =>
  layout(
    'Help',
    ctx,
    `<h1>Help centre</h1>
    <p>Most questions are answered within a day. Use the chat at the bottom right.</p>`,
  );

export const loginPage = (ctx: PageContext, error?: string) =>
  layout(
    'Log in',
    ctx,
    `<h1>Log in</h1>
    ${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/login" class="login">
      <label>Email <input type="email" name="email" autocomplete="username" required></label>
      <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
      <button type="submit">Log in</button>
    </form>
    <p class="hint">Demo accounts: john.doe@example.com, jane.roe@example.com, max.mustermann@example.com (password: <code>password</code>).</p>`,
  );

export const accountPage = (ctx: PageContext & { user: SiteUser }) =>
  layout(
    'Account',
    ctx,
    `<h1>Hello, ${escapeHtml(ctx.user.firstname)} ${escapeHtml(ctx.user.lastname)}</h1>
    <dl>
      <dt>Email</dt><dd>${escapeHtml(ctx.user.email)}</dd>
      <dt>Groups</dt><dd>${ctx.user.labels.map(escapeHtml).join(', ') || '—'}</dd>
    </dl>
    <p role="status" id="chat-status">Loading your chat history…</p>`,
  );
