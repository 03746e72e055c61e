/**
 * Schema failures as people read them: `path: message` lines. The server puts them in its 400
 * bodies; the reference widget puts them in the error `CV.user.tag` rejects with.
 */
import type * as z from 'zod/mini';

export type Schema = z.ZodMiniType;
export type SchemaError = z.core.$ZodError;

/** Turns zod issues into `path: message` lines a person can act on. */
export function describeIssues(error: SchemaError): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return { path, message };
  });
}

export function summarizeIssues(error: SchemaError): string {
  return describeIssues(error)
    .map(({ path, message }) => (path && !message.startsWith(path) ? `${path}: ${message}` : message))
    .join('; ');
}
