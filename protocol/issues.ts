/**
 * Schema failures as people read them: `path: message` lines. The server puts them in its 400
 * bodies; the reference widget puts them in the error `CV.user.tag` rejects with.
 */
import type * as v from 'valibot';

export type Schema = v.GenericSchema;
export type SchemaIssues = [v.GenericIssue, ...v.GenericIssue[]];

/** Turns valibot issues into `path: message` lines a person can act on, one per problem. */
export function describeIssues(issues: SchemaIssues): { path: string; message: string }[] {
  const lines: { path: string; message: string }[] = [];
  for (const issue of issues) {
    let keys = (issue.path ?? []).map((item) => item.key as unknown);
    // An unknown field is reported on its object, once for all of that object's unknown fields.
    if (issue.type === 'strict_object' && issue.expected === 'never') keys = keys.slice(0, -1);
    const path = keys.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
    if (!lines.some((line) => line.path === path && line.message === issue.message)) lines.push({ path, message: issue.message });
  }
  return lines;
}

export function summarizeIssues(issues: SchemaIssues): string {
  return describeIssues(issues)
    .map(({ path, message }) => (path && !message.startsWith(path) ? `${path}: ${message}` : message))
    .join('; ');
}
