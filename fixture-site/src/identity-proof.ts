/**
 * How the site proves to the chat vendor who its signed-in user is. This runs on the site's
 * server, the only place that holds the workspace's identity secret; pages get the finished
 * proof, never the secret.
 *
 * The `cv_proof` cookie picks the form, so that tests can drive each: `jwt` (the default, an
 * `externalToken` that expires), `hmac` (a `userHash`), or `none` (a site that does not sign).
 */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { activeUserOf, type SiteUser } from './users.js';

export const PROOF_FORMS = ['jwt', 'hmac', 'none'] as const;
export type ProofForm = (typeof PROOF_FORMS)[number];

/** How long a page's externalToken stays valid: long enough to read a page, short enough to limit a leak. */
export const TOKEN_LIFETIME = '10m';

export async function signedActiveUser(user: SiteUser, workspaceId: string, form: ProofForm, secret: string | undefined) {
  const activeUser = activeUserOf(user);
  if (!secret || form === 'none') return activeUser;
  if (form === 'hmac') {
    return { ...activeUser, userHash: createHmac('sha256', secret).update(user.email, 'utf8').digest('hex') };
  }
  const externalToken = await new SignJWT({ email: user.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(workspaceId)
    .setIssuedAt()
    .setExpirationTime(TOKEN_LIFETIME)
    .sign(new TextEncoder().encode(secret));
  return { ...activeUser, externalToken };
}
