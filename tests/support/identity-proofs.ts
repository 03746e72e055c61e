/**
 * Identity proofs as a site's server makes them (and as an attacker would forge them): the
 * HMAC `userHash` and the JWT `externalToken` of docs/SECURITY.md. Used by the specs that
 * check the backend accepts the genuine ones and refuses everything else.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { IDENTITY_SECRET } from './env.js';

export function userHashFor(identifier: string, secret = IDENTITY_SECRET): string {
  return createHmac('sha256', secret).update(identifier, 'utf8').digest('hex');
}

export interface JwtOptions {
  secret?: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
  audience?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
}

export function jwtFor(claims: JWTPayload, options: JwtOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? IDENTITY_SECRET));
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token that claims to need no signature at all. */
export function unsignedJwt(claims: JWTPayload): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iat: now, exp: now + 600, ...claims })}.`;
}

/** A genuine token whose claims were rewritten afterwards, its signature kept. */
export function withClaims(token: string, claims: JWTPayload): string {
  const [header, payload, signature] = token.split('.');
  const original = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as JWTPayload;
  return `${header}.${base64url({ ...original, ...claims })}.${signature}`;
}
