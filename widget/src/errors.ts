/** The error every rejected `CV` call rejects with: a code to branch on, a message to read. */
export class CVError extends Error {
  override readonly name = 'CVError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The server no longer knows these credentials (revoked by a reset, or never issued). */
export function isRevoked(err: unknown): boolean {
  return err instanceof CVError && err.status === 401;
}
