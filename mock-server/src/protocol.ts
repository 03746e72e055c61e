/**
 * The wire protocol between a widget and the vendor backend, as zod schemas.
 *
 * One source of truth: the server validates request bodies with these schemas, the reference
 * widget validates `CV.user.tag` arguments with the same `activeUserSchema`, and the
 * TypeScript types of both sides are inferred from them.
 */
import * as z from 'zod/mini';

export const GENDERS = ['male', 'female', 'other', 'none'] as const;
export const ID_MODES = ['local', 'session'] as const;
export type IdMode = (typeof ID_MODES)[number];

/** Fields of ActiveUser that `additionalTaggingData` may not override. */
export const ACTIVE_USER_FIELDS = [
  'id',
  'email',
  'firstname',
  'lastname',
  'gender',
  'labels',
  'assignedUser',
  'additionalTaggingData',
  'externalToken',
  'userHash',
] as const;

// zod/mini keeps the widget bundle small (about 20 KiB instead of 450 KiB with classic zod).

/** C0 control characters and DEL. Line breaks and tabs are allowed only in message text. */
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */
const noControls = (what: string, pattern = CONTROL_CHARS) =>
  z.refine<string>((s) => !pattern.test(s), { error: `${what} must not contain control characters` });

/** Keys that would reach an object's prototype machinery if copied onto a plain object. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

const email = (what: string) =>
  z
    .email({ error: `${what} must be a valid email address` })
    .check(z.maxLength(254, { error: `${what} must be at most 254 characters` }), z.toLowerCase());

const text = (what: string, max = 200, controls = CONTROL_CHARS) =>
  z
    .string({ error: `${what} must be a string` })
    .check(z.maxLength(max, { error: `${what} must be at most ${max} characters` }), noControls(what, controls));

const nonEmptyText = (what: string, max = 200, controls = CONTROL_CHARS) =>
  z
    .string({ error: `${what} must be a string` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${what} must not be empty` }),
      z.maxLength(max, { error: `${what} must be at most ${max} characters` }),
      noControls(what, controls),
    );

const labels = z
  .array(nonEmptyText('each label', 100), { error: 'labels must be an array of strings' })
  .check(z.maxLength(50, { error: 'labels may hold at most 50 entries' }));

/** The argument of `CV.user.tag`, the vendor's ActiveUser. Unknown keys are refused: a typo
 * such as `assigneduser` must fail loudly rather than be silently ignored. */
export const activeUserSchema = z
  .strictObject(
    {
      id: z.optional(nonEmptyText('id')),
      email: z.optional(email('email')),
      firstname: z.optional(text('firstname')),
      lastname: z.optional(text('lastname')),
      gender: z.optional(z.enum(GENDERS, { error: `gender must be one of ${GENDERS.map((g) => `"${g}"`).join(', ')}` })),
      labels: z.optional(labels),
      assignedUser: z.optional(email('assignedUser')),
      additionalTaggingData: z.optional(
        z.record(
          z.string().check(
            z.maxLength(100, { error: 'additionalTaggingData keys must be at most 100 characters' }),
            z.refine((k) => !FORBIDDEN_KEYS.includes(k), {
              error: `additionalTaggingData keys may not be ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')}`,
            }),
          ),
          z.union([text('a tagging value', 1000), z.number(), z.boolean(), z.null()], {
            error: 'additionalTaggingData values must be strings, numbers, booleans or null',
          }),
          { error: 'additionalTaggingData must be an object' },
        ),
      ),
      externalToken: z.optional(text('externalToken', 4096)),
      userHash: z.optional(text('userHash', 256)),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'the user must be an object') },
  )
  .check(
    z.refine((u) => u.id !== undefined || u.email !== undefined, {
      error: 'an email or an id is needed to identify the customer',
    }),
  );
export type ActiveUser = z.input<typeof activeUserSchema>;
export type ValidActiveUser = z.output<typeof activeUserSchema>;

const messageText = nonEmptyText('text', 5000, CONTROL_CHARS_BUT_LINES);

export const messageBodySchema = z.strictObject({ text: messageText }, { error: 'the body must be a JSON object' });

// ----- control namespace (/__admin) -----

export const workspaceIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'a workspace id is 1 to 64 letters, digits, "_" or "-"' }));

const idMode = z.enum(ID_MODES, { error: 'idMode must be "local" or "session"' });

export const ANONYMOUS_MESSAGES = ['merge', 'separate'] as const;
export type AnonymousMessages = (typeof ANONYMOUS_MESSAGES)[number];
const anonymousMessages = z.enum(ANONYMOUS_MESSAGES, { error: 'anonymousMessages must be "merge" or "separate"' });

export const IDENTITY_VERIFICATION = ['off', 'required'] as const;
export type IdentityVerification = (typeof IDENTITY_VERIFICATION)[number];
const identityVerification = z.enum(IDENTITY_VERIFICATION, { error: 'identityVerification must be "off" or "required"' });

/** "*" or a browser origin: scheme, host and optional port, nothing after. */
const origin = z.string({ error: 'each allowed origin must be a string' }).check(
  z.regex(/^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?)$/, {
    error: 'an allowed origin is "*" or scheme://host[:port] with no path, such as "https://shop.example"',
  }),
);

export const settingsPatchSchema = z.strictObject(
  {
    idMode: z.optional(idMode),
    anonymousMessages: z.optional(anonymousMessages),
    identityVerification: z.optional(identityVerification),
    allowedOrigins: z.optional(
      z
        .array(origin, { error: 'allowedOrigins must be an array of origins' })
        .check(z.minLength(1, { error: 'allowedOrigins needs at least one origin ("*" allows any)' }), z.maxLength(50)),
    ),
  },
  { error: 'settings must be an object' },
);
/**
 * idMode: where widgets keep the visitor id. anonymousMessages: whether what a visitor wrote
 * before being tagged joins the customer's conversation (merge) or stays apart (separate).
 * identityVerification: whether tag must carry proof made with the workspace's secret.
 * allowedOrigins: the browser origins whose pages may call the widget API ("*": any).
 */
export type WorkspaceSettings = {
  idMode: IdMode;
  anonymousMessages: AnonymousMessages;
  identityVerification: IdentityVerification;
  allowedOrigins: string[];
};

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  idMode: 'local',
  anonymousMessages: 'merge',
  identityVerification: 'off',
  allowedOrigins: ['*'],
};

export const agentInputSchema = z.strictObject(
  { email: email('agent email'), name: nonEmptyText('agent name') },
  { error: 'each agent must be an object with email and name' },
);

const seedMessageSchema = z.strictObject({
  from: z.union([z.literal('customer'), email('message author')], {
    error: 'from must be "customer" or the email of an agent of the workspace',
  }),
  text: messageText,
});

export const seedCustomerSchema = z.strictObject({
  email: email('email'),
  id: z.optional(nonEmptyText('id')),
  firstname: z.optional(text('firstname')),
  lastname: z.optional(text('lastname')),
  labels: z.optional(labels),
  assignedUser: z.optional(email('assignedUser')),
  messages: z.optional(z.array(seedMessageSchema).check(z.maxLength(500))),
});
export type SeedCustomer = z.output<typeof seedCustomerSchema>;

export const createWorkspaceSchema = z.strictObject(
  {
    id: z.optional(workspaceIdSchema),
    name: z.optional(text('name')),
    settings: z.optional(settingsPatchSchema),
    /** The secret the site signs identities with; generated when not given. */
    identitySecret: z.optional(
      z
        .string({ error: 'identitySecret must be a string' })
        .check(
          z.minLength(32, { error: 'identitySecret must be at least 32 characters' }),
          z.maxLength(256, { error: 'identitySecret must be at most 256 characters' }),
          noControls('identitySecret'),
        ),
    ),
    agents: z.optional(z.array(agentInputSchema).check(z.maxLength(100))),
    customers: z.optional(z.array(seedCustomerSchema).check(z.maxLength(500))),
  },
  { error: 'the body must be a JSON object' },
);

export const seedCustomersSchema = z.strictObject(
  { customers: z.array(seedCustomerSchema).check(z.minLength(1), z.maxLength(500)) },
  { error: 'the body must be a JSON object with a customers array' },
);

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

// ----- what the server answers -----

export interface PublicAgent {
  email: string;
  name: string;
}

export interface WireMessage {
  id: string;
  seq: number;
  author: 'visitor' | 'agent';
  agent?: PublicAgent;
  text: string;
  createdAt: string;
}

export interface SessionView {
  visitorId: string;
  customer: {
    id?: string;
    email?: string;
    firstname?: string;
    lastname?: string;
    labels: string[];
  } | null;
  assignedAgent: PublicAgent | null;
  messages: WireMessage[];
}

export interface WidgetConfig {
  workspaceId: string;
  idMode: IdMode;
}

/** What opens a visitor's event stream once: `GET …/events?ticket=<ticket>` within `expiresInMs`. */
export interface StreamTicket {
  ticket: string;
  expiresInMs: number;
}

/** Server-sent events on a visitor's stream. */
export type StreamEvent = { type: 'message'; message: WireMessage } | { type: 'revoked' };
