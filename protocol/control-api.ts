/**
 * The control API (/__admin/…) that tests and the start script use to set the backend up:
 * workspaces with their settings, agents and seeded customers. It never reaches a browser.
 */
import * as z from 'zod/mini';
import { email, labels, noControls, nonEmptyText, text } from './fields.js';
import { messageText } from './messages.js';
import { ID_MODES, type IdMode } from './widget-api.js';

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
