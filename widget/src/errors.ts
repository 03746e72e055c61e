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
