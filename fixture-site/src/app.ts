/**
 * The fixture site: a public home page, a login form, an account page, and a logout, each
 * embedding the widget. It reaches the mock vendor backend through http-proxy-middleware at
 * the first-party path /cv, the way vendors advise sites to proxy them.
 *
 * Which workspace a page embeds is chosen per browser context: the `cv_workspace` cookie
 * names it (tests set it on their own context, so parallel tests never share one), falling
 * back to the site's default workspace. The `cv_embed=direct` cookie loads the widget
 * straight from the mock server's origin instead of through the proxy; `cv_embed=none` turns
 * the site's chat integration off (no snippet, no widget, no site.js), so that a harness can
 * put the widget on its pages as a browser extension would.
 *
 * Pages: / (home, with links that open /help in new tabs), /help, /login, /account, and
 * POST /logout.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Request, type Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { accountPage, helpPage, homePage, loginPage, type PageContext } from './pages.js';
import { PROOF_FORMS, signedActiveUser, type ProofForm } from './identity-proof.js';
import { findSiteUser, SITE_USERS, type SiteUser } from './users.js';

export interface SiteOptions {
  /** Where the site's server reaches the mock vendor backend. */
  mockServerUrl: string;
  /** Where a browser reaches the mock server directly (cross-origin embedding). */
  publicMockServerUrl?: string;
  defaultWorkspace: string;
  /** The workspace's identity secret, for signing the signed-in user (see identity-proof.ts). */
  identitySecret?: string;
}

const SESSION_COOKIE = 'site_session';
const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * No inline script or style, no eval, Trusted Types enforced with no policy allowed. The widget
 * needs only its script origin and its API origin: the site's own when proxied through /cv,
 * the vendor's when embedded directly.
 */
export function strictContentSecurityPolicy(vendorOrigin?: string): string {
  const widget = vendorOrigin ? `'self' ${vendorOrigin}` : "'self'";
  return [
    "default-src 'none'",
    `script-src ${widget}`,
    `connect-src ${widget}`,
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

export function createSiteApp(options: SiteOptions): express.Express {
  const sessions = new Map<string, string>();
  const app = express();
  app.disable('x-powered-by');

  // Before any body parser: the proxy must forward request bodies and event streams untouched.
  app.use('/cv', createProxyMiddleware({ target: options.mockServerUrl, changeOrigin: true }));

  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use('/assets/cv-snippet.js', (_req, res) => {
    res.sendFile(fileURLToPath(new URL('../../widget/snippet.js', import.meta.url)));
  });
  app.use('/assets', express.static(fileURLToPath(new URL('../public', import.meta.url)), { maxAge: 0 }));

  const userOf = (req: Request): SiteUser | undefined => {
    const email = sessions.get(String(req.cookies?.[SESSION_COOKIE] ?? ''));
    return SITE_USERS.find((u) => u.email === email);
  };

  const contextOf = async (req: Request): Promise<PageContext> => {
    const chosen = String(req.cookies?.cv_workspace ?? '');
    const workspace = WORKSPACE_ID.test(chosen) ? chosen : options.defaultWorkspace;
    const direct = req.cookies?.cv_embed === 'direct';
    const base = direct ? (options.publicMockServerUrl ?? options.mockServerUrl) : '/cv';
    const proof = (PROOF_FORMS as readonly string[]).includes(req.cookies?.cv_proof) ? (req.cookies.cv_proof as ProofForm) : 'jwt';
    const user = userOf(req);
    if (req.cookies?.cv_embed === 'none') return { user };
    const tagData = user ? await signedActiveUser(user, workspace, proof, options.identitySecret) : undefined;
    return { user, tagData, widgetSrc: `${base}/cdn/js/${workspace}.js` };
  };

  // Pages show who is signed in: the browser must not keep them in the back/forward cache.
  // The `site_cache=bfcache` cookie plays a site that forgot this, so that tests can check
  // the widget stays safe when a signed-in page is restored from that cache.
  // The `site_csp=strict` cookie serves the strict Content-Security-Policy of docs/SECURITY.md.
  const page = (req: Request, res: Response, html: string, status = 200) => {
    if (req.cookies?.site_cache !== 'bfcache') res.set('Cache-Control', 'no-store');
    if (req.cookies?.site_csp === 'strict') {
      const vendor = req.cookies?.cv_embed === 'direct' ? new URL(options.publicMockServerUrl ?? options.mockServerUrl).origin : undefined;
      res.set('Content-Security-Policy', strictContentSecurityPolicy(vendor));
    }
    res.status(status).type('html').send(html);
  };

  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/', async (req, res) => page(req, res, homePage(await contextOf(req))));

  app.get('/help', async (req, res) => page(req, res, helpPage(await contextOf(req))));

  app.get('/login', async (req, res) => {
    const ctx = await contextOf(req);
    if (ctx.user) return res.redirect(303, '/account');
    page(req, res, loginPage(ctx));
  });

  app.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = findSiteUser(String(body.email ?? ''), String(body.password ?? ''));
    if (!user) return page(req, res, loginPage(await contextOf(req), 'Wrong email or password.'), 401);
    const sid = randomBytes(18).toString('base64url');
    sessions.set(sid, user.email);
    res.cookie(SESSION_COOKIE, sid, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(303, '/account');
  });

  app.get('/account', async (req, res) => {
    const ctx = await contextOf(req);
    if (!ctx.user) return res.redirect(303, '/login');
    page(req, res, accountPage({ ...ctx, user: ctx.user }));
  });

  app.post('/logout', (req, res) => {
    sessions.delete(String(req.cookies?.[SESSION_COOKIE] ?? ''));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/');
  });

  return app;
}
