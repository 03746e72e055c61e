/**
 * Identity verification: when a workspace requires it, `tag` must carry proof, made on the
 * site's server with the workspace's secret, of who the user is. Two forms are accepted, the
 * two that sites know from other chat vendors:
 *
 * - `userHash`: hex HMAC-SHA256 of the user's id (or, for a user with no id, the email), keyed
 *   with the workspace's identity secret. It never expires; it proves one identifier.
 * - `externalToken`: a JWT signed with HS256, HS384 or HS512 and the same secret, with an
 *   `exp` claim and a `sub` (the user's id) or `email` claim. An `aud` claim, when present,
 *   must name the workspace. The JWT is checked by jose: signature, algorithm, expiry.
 *
 * The result is the set of identifiers the proof covers. `tag` may then only claim those:
 * an id the proof does not cover is refused, and an email it does not cover is a mere
 * profile field, never a key to an existing customer's history.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { DomainError } from './domain-error.js';
import type { ValidActiveUser } from '../../protocol/widget-api.js';
import type { Workspace } from './store.js';

export interface VerifiedIdentity {
  /** The user's id, when the proof covers it. */
  id?: string;
  /** The user's email (lower case), when the proof covers it. */
  email?: string;
}

const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE = 5;

const refuse = (code: string, message: string, path?: string) =>
  new DomainError('forbidden', code, message, path ? [{ path, message }] : undefined);

/** The userHash a site must send for this identifier: what its server computes. */
export function userHash(secret: string, identifier: string): string {
  return createHmac('sha256', secret).update(identifier, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings of any length. */
function sameSecretString(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Compare equal-length buffers either way, so the time taken says nothing about `expected`.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}

function checkUserHash(ws: Workspace, user: ValidActiveUser, hash: string): VerifiedIdentity {
  const identifier = user.id ?? user.email!;
  if (!sameSecretString(hash.toLowerCase(), userHash(ws.identitySecret, identifier))) {
    throw refuse(
      'identity_proof_invalid',
      `userHash is not the HMAC-SHA256 of the user's ${user.id !== undefined ? 'id' : 'email'} with this workspace's secret`,
      'userHash',
    );
  }
  return user.id !== undefined ? { id: user.id } : { email: user.email! };
}

async function checkExternalToken(ws: Workspace, token: string): Promise<VerifiedIdentity> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(ws.identitySecret), {
      algorithms: JWT_ALGORITHMS,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE,
    }));
  } catch (err) {
    throw refuse('identity_proof_invalid', `externalToken is refused: ${describeJwtError(err)}`, 'externalToken');
  }
  if (payload.aud !== undefined && !(Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(ws.id)) {
    throw refuse('identity_proof_invalid', `externalToken is refused: it was made for another workspace (aud)`, 'externalToken');
  }
  const verified: VerifiedIdentity = {};
  if (typeof payload.sub === 'string' && payload.sub !== '') verified.id = payload.sub;
  if (typeof payload.email === 'string' && payload.email !== '') verified.email = payload.email.toLowerCase();
  if (verified.id === undefined && verified.email === undefined) {
    throw refuse('identity_proof_invalid', 'externalToken is refused: it has neither a "sub" nor an "email" claim', 'externalToken');
  }
  return verified;
}

function describeJwtError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'it has expired (exp)';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return `its algorithm is not accepted (accepted: ${JWT_ALGORITHMS.join(', ')})`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature was not made with this workspace's secret";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `its "${err.claim}" claim is not valid (${err.reason})`;
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'it is not a well-formed signed JWT';
  if (err instanceof joseErrors.JOSEError) return err.message;
  throw err;
}

/**
 * Checks the proof a tag carries against the workspace's settings. With verification off,
 * every identifier counts as claimed (the vendor's default, and its risk). With it required,
 * returns what the proof covers, or throws a 403 that says what is wrong.
 */
export async function verifyIdentity(ws: Workspace, user: ValidActiveUser): Promise<VerifiedIdentity | 'unverified'> {
  if (ws.settings.identityVerification === 'off') return 'unverified';
  let verified: VerifiedIdentity;
  if (user.externalToken !== undefined && user.externalToken !== '') {
    verified = await checkExternalToken(ws, user.externalToken);
  } else if (user.userHash !== undefined && user.userHash !== '') {
    verified = checkUserHash(ws, user, user.userHash);
  } else {
    const given = user.externalToken !== undefined || user.userHash !== undefined;
    throw refuse(
      'identity_proof_required',
      `workspace ${ws.id} requires identity verification: tag needs ${given ? 'a non-empty' : 'a'} userHash or externalToken ` +
        "made on the site's server with the workspace's secret",
    );
  }
  if (user.id !== undefined && verified.id !== user.id) {
    throw refuse('identity_proof_mismatch', 'id is not the one the proof was made for', 'id');
  }
  if (user.email !== undefined && verified.email !== undefined && verified.email !== user.email) {
    throw refuse('identity_proof_mismatch', 'email is not the one the proof was made for', 'email');
  }
  if (user.id === undefined && verified.email === undefined) {
    throw refuse('identity_proof_mismatch', "the proof covers the user's id only: tag must name the user by that id", 'id');
  }
  return verified;
}
