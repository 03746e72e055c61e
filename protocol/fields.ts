/**
 * Field checks shared by every part of the protocol: text with a length bound and no control
 * characters, email addresses, labels. Each names the field in its message, so that an error
 * says which input to fix.
 *
 * zod/mini keeps the widget bundle small (about 20 KiB instead of 450 KiB with classic zod).
 */
import * as z from 'zod/mini';

/** C0 control characters and DEL. Line breaks and tabs are allowed only in message text. */
/* eslint-disable no-control-regex -- matching control characters is the point */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
export const CONTROL_CHARS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

export const noControls = (what: string, pattern = CONTROL_CHARS) =>
  z.refine<string>((s) => !pattern.test(s), { error: `${what} must not contain control characters` });

/** Keys that would reach an object's prototype machinery if copied onto a plain object. */
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

export const email = (what: string) =>
  z
    .email({ error: `${what} must be a valid email address` })
    .check(z.maxLength(254, { error: `${what} must be at most 254 characters` }), z.toLowerCase());

export const text = (what: string, max = 200, controls = CONTROL_CHARS) =>
  z
    .string({ error: `${what} must be a string` })
    .check(z.maxLength(max, { error: `${what} must be at most ${max} characters` }), noControls(what, controls));

export const nonEmptyText = (what: string, max = 200, controls = CONTROL_CHARS) =>
  z
    .string({ error: `${what} must be a string` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${what} must not be empty` }),
      z.maxLength(max, { error: `${what} must be at most ${max} characters` }),
      noControls(what, controls),
    );

export const labels = z
  .array(nonEmptyText('each label', 100), { error: 'labels must be an array of strings' })
  .check(z.maxLength(50, { error: 'labels may hold at most 50 entries' }));
