/**
 * Failures of the vendor's domain (a revoked visitor, an unknown agent, a refused identity
 * proof), named in its own words. The model, the store and the identity checks throw these and
 * know nothing of HTTP; http.ts gives each kind its status code.
 */
export type FailureKind =
  /** The caller is not who it claims to be (a visitor token that does not match, a revoked one). */
  | 'unauthenticated'
  /** The caller is known but the proof it brings is refused. */
  | 'forbidden'
  | 'not_found'
  /** The request contradicts what is stored (an email of another customer, a tagged visitor). */
  | 'conflict'
  /** Well-formed, but it names something that does not exist where it must (an unknown agent). */
  | 'unprocessable';

export interface Issue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }
}
