/**
 * Secrets handed to visitors and agents. Only a SHA-256 hash is stored, and a presented
 * token is compared in constant time, so neither the store nor response timing reveals one.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;

export const newToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function tokenMatches(hash: string, token: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The token in an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
