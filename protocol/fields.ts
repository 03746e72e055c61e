/**
 * Field checks shared by every part of the protocol: text with a length bound and no control
 * characters, email addresses, labels, objects that refuse unknown fields. Each names the field
 * in its message, so that an error says which input to fix.
 *
 * valibot, because the widget bundles these checks: its schemas are plain functions that
 * tree-shake to the few the widget uses (about 3 KB gzipped, where zod/mini took 8 KB).
 */
import * as v from 'valibot';

/** C0 control characters and DEL. Line breaks and tabs are allowed only in message text. */
/* eslint-disable no-control-regex -- matching control characters is the point */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
export const CONTROL_CHARS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/** An address with a dot in its domain and no leading, trailing or doubled dot in its local part. */
const EMAIL = /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export const noControls = (what: string, pattern = CONTROL_CHARS) =>
  v.check<string, string>((s) => !pattern.test(s), `${what} must not contain control characters`);

/** Keys that would reach an object's prototype machinery if copied onto a plain object. */
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

export const email = (what: string) =>
  v.pipe(
    v.string(`${what} must be a valid email address`),
    v.regex(EMAIL, `${what} must be a valid email address`),
    v.maxLength(254, `${what} must be at most 254 characters`),
    v.toLowerCase(),
  );

export const text = (what: string, max = 200, controls = CONTROL_CHARS) =>
  v.pipe(v.string(`${what} must be a string`), v.maxLength(max, `${what} must be at most ${max} characters`), noControls(what, controls));

export const nonEmptyText = (what: string, max = 200, controls = CONTROL_CHARS) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.trim(),
    v.minLength(1, `${what} must not be empty`),
    v.maxLength(max, `${what} must be at most ${max} characters`),
    noControls(what, controls),
  );

export const labels = v.pipe(
  v.array(nonEmptyText('each label', 100), 'labels must be an array of strings'),
  v.maxLength(50, 'labels may hold at most 50 entries'),
);

/** An array of at most `max` entries (and at least `min`). */
export const list = <T extends v.GenericSchema>(item: T, max: number, what: string, min = 0) =>
  v.pipe(
    v.array(item, `${what} must be an array`),
    v.minLength(min, `${what} needs at least ${min} ${min === 1 ? 'entry' : 'entries'}`),
    v.maxLength(max, `${what} may hold at most ${max} entries`),
  );

/**
 * An object that refuses fields it does not know. A value that is no object gets `notAnObject`;
 * an unknown field is named (every unknown field, not only the first); a missing field is named.
 */
export const strictObject = <E extends v.ObjectEntries>(entries: E, notAnObject: string) =>
  v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') {
      const input = issue.path?.[0]?.input;
      const unknown = input && typeof input === 'object' ? Object.keys(input).filter((k) => !Object.hasOwn(entries, k)) : [];
      return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`;
    }
    if (issue.kind === 'schema' && issue.expected?.startsWith('"')) return `${issue.expected.slice(1, -1)} is required`;
    return notAnObject;
  });
