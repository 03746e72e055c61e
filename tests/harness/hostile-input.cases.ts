/**
 * The API's answer to hostile input: one row per kind of input, with the status and error code
 * the backend must answer. docs/SECURITY.md shows the same table; H3.2 checks that the two
 * agree, row for row.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';

export interface Target {
  api: APIRequestContext;
  workspaceId: string;
  visitorId: string;
  token: string;
}

export interface HostileCase {
  input: string;
  status: number;
  code: string;
  send(t: Target): Promise<APIResponse>;
}

const visitorPath = (t: Target, rest: string) => `/api/v1/workspaces/${t.workspaceId}/visitors/${t.visitorId}/${rest}`;
const auth = (t: Target) => ({ Authorization: `Bearer ${t.token}` });
const json = (t: Target) => ({ ...auth(t), 'Content-Type': 'application/json' });

const tag = (t: Target, data: unknown) => t.api.post(visitorPath(t, 'tag'), { headers: json(t), data });
const rawTag = (t: Target, body: string) => t.api.post(visitorPath(t, 'tag'), { headers: json(t), data: body });

const nested = (depth: number) =>
  '{"email":"deep@example.com","additionalTaggingData":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth + 1);

export const HOSTILE_CASES: HostileCase[] = [
  { input: 'Malformed JSON', status: 400, code: 'invalid_json', send: (t) => rawTag(t, '{"email": "a@example.com",') },
  { input: 'A JSON string instead of an object', status: 400, code: 'invalid_json', send: (t) => rawTag(t, '"a@example.com"') },
  { input: 'A JSON array instead of an object', status: 400, code: 'invalid_body', send: (t) => tag(t, [{ email: 'a@example.com' }]) },
  {
    input: 'A body over 64 KiB',
    status: 413,
    code: 'body_too_large',
    send: (t) => t.api.post(visitorPath(t, 'messages'), { headers: json(t), data: { text: 'x'.repeat(70_000) } }),
  },
  {
    input: 'A body that is not sent as JSON (text/plain)',
    status: 415,
    code: 'unsupported_media_type',
    send: (t) => t.api.post(visitorPath(t, 'tag'), { headers: { ...auth(t), 'Content-Type': 'text/plain' }, data: 'email=a@example.com' }),
  },
  {
    input: 'A form-encoded body',
    status: 415,
    code: 'unsupported_media_type',
    send: (t) => t.api.post(visitorPath(t, 'tag'), { headers: auth(t), form: { email: 'a@example.com' } }),
  },
  { input: 'Nesting 1,000 levels deep', status: 400, code: 'too_deep', send: (t) => rawTag(t, nested(1000)) },
  {
    input: 'A `__proto__` key',
    status: 400,
    code: 'forbidden_key',
    send: (t) => rawTag(t, '{"email":"a@example.com","__proto__":{"admin":true}}'),
  },
  {
    input: 'A `constructor` key, nested',
    status: 400,
    code: 'forbidden_key',
    send: (t) => tag(t, { email: 'a@example.com', additionalTaggingData: { constructor: 'x' } }),
  },
  { input: 'An unknown field', status: 400, code: 'invalid_body', send: (t) => tag(t, { email: 'a@example.com', isAdmin: true }) },
  {
    input: 'A 10,000-character name',
    status: 400,
    code: 'invalid_body',
    send: (t) => tag(t, { email: 'a@example.com', firstname: 'n'.repeat(10_000) }),
  },
  {
    input: 'A 5,001-character message',
    status: 400,
    code: 'invalid_body',
    send: (t) => t.api.post(visitorPath(t, 'messages'), { headers: json(t), data: { text: 'm'.repeat(5001) } }),
  },
  {
    input: 'A NUL character in a name',
    status: 400,
    code: 'invalid_body',
    send: (t) => tag(t, { email: 'a@example.com', lastname: 'Do\u0000e' }),
  },
  {
    input: 'A bell character in message text',
    status: 400,
    code: 'invalid_body',
    send: (t) => t.api.post(visitorPath(t, 'messages'), { headers: json(t), data: { text: 'ding\u0007' } }),
  },
  {
    input: 'A line break in a label',
    status: 400,
    code: 'invalid_body',
    send: (t) => tag(t, { email: 'a@example.com', labels: ['vip\nadmin'] }),
  },
  {
    input: '51 labels',
    status: 400,
    code: 'invalid_body',
    send: (t) => tag(t, { email: 'a@example.com', labels: Array.from({ length: 51 }, (_, i) => `l${i}`) }),
  },
  {
    input: 'A traversal-shaped workspace id',
    status: 400,
    code: 'invalid_id',
    send: (t) => t.api.get('/api/v1/workspaces/..%2F..%2Fetc%2Fpasswd/config'),
  },
  {
    input: 'A traversal-shaped visitor id',
    status: 400,
    code: 'invalid_id',
    send: (t) => t.api.get(`/api/v1/workspaces/${t.workspaceId}/visitors/..%2F..%2Fadmin/session`, { headers: auth(t) }),
  },
  {
    input: 'A 65-character workspace id',
    status: 400,
    code: 'invalid_id',
    send: (t) => t.api.get(`/api/v1/workspaces/${'w'.repeat(65)}/config`),
  },
  {
    input: 'An unknown, well-formed workspace id',
    status: 404,
    code: 'unknown_workspace',
    send: (t) => t.api.get('/api/v1/workspaces/no-such-shop/config'),
  },
  {
    input: 'A traversal-shaped widget script path',
    status: 404,
    code: 'not_found',
    send: (t) => t.api.get('/cdn/js/..%2F..%2Fpackage.json'),
  },
  {
    input: 'No visitor token',
    status: 401,
    code: 'invalid_visitor_token',
    send: (t) => t.api.get(visitorPath(t, 'session')),
  },
];
