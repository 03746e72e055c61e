/**
 * The control API (/__admin/…) that tests and the start script use to set the backend up:
 * workspaces with their settings, agents and seeded customers. It never reaches a browser.
 */
import * as v from 'valibot';
import { email, labels, list, noControls, nonEmptyText, strictObject, text } from './fields.js';
import { messageText } from './messages.js';
import { ID_MODES, type IdMode } from './widget-api.js';

/** What a workspace id may be, wherever one arrives (a body here, a path in the server's routes). */
export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const WORKSPACE_ID_RULE = 'a workspace id is 1 to 64 letters, digits, "_" or "-"';
export const workspaceIdSchema = v.pipe(v.string(WORKSPACE_ID_RULE), v.regex(WORKSPACE_ID_PATTERN, WORKSPACE_ID_RULE));

const idMode = v.picklist(ID_MODES, 'idMode must be "local" or "session"');

export const ANONYMOUS_MESSAGES = ['merge', 'separate'] as const;
export type AnonymousMessages = (typeof ANONYMOUS_MESSAGES)[number];
const anonymousMessages = v.picklist(ANONYMOUS_MESSAGES, 'anonymousMessages must be "merge" or "separate"');

export const IDENTITY_VERIFICATION = ['off', 'required'] as const;
export type IdentityVerification = (typeof IDENTITY_VERIFICATION)[number];
const identityVerification = v.picklist(IDENTITY_VERIFICATION, 'identityVerification must be "off" or "required"');

/** "*" or a browser origin: scheme, host and optional port, nothing after. */
const origin = v.pipe(
  v.string('each allowed origin must be a string'),
  v.regex(
    /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?)$/,
    'an allowed origin is "*" or scheme://host[:port] with no path, such as "https://shop.example"',
  ),
);

export const settingsPatchSchema = strictObject(
  {
    idMode: v.optional(idMode),
    anonymousMessages: v.optional(anonymousMessages),
    identityVerification: v.optional(identityVerification),
    allowedOrigins: v.optional(
      v.pipe(
        v.array(origin, 'allowedOrigins must be an array of origins'),
        v.minLength(1, 'allowedOrigins needs at least one origin ("*" allows any)'),
        v.maxLength(50, 'allowedOrigins may hold at most 50 origins'),
      ),
    ),
  },
  'settings must be an object',
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

export const agentInputSchema = strictObject(
  { email: email('agent email'), name: nonEmptyText('agent name') },
  'each agent must be an object with email and name',
);

const seedMessageSchema = strictObject(
  {
    from: v.union([v.literal('customer'), email('message author')], 'from must be "customer" or the email of an agent of the workspace'),
    text: messageText,
  },
  'each message must be an object with from and text',
);

export const seedCustomerSchema = strictObject(
  {
    email: email('email'),
    id: v.optional(nonEmptyText('id')),
    firstname: v.optional(text('firstname')),
    lastname: v.optional(text('lastname')),
    labels: v.optional(labels),
    assignedUser: v.optional(email('assignedUser')),
    messages: v.optional(list(seedMessageSchema, 500, 'messages')),
    /** A long history without a long body: "message 1 of n" … "message n of n" from the customer, before `messages`. */
    generatedMessages: v.optional(
      v.pipe(
        v.number('generatedMessages must be a number'),
        v.integer('generatedMessages must be a whole number'),
        v.minValue(1, 'generatedMessages must be at least 1'),
        v.maxValue(20_000, 'generatedMessages may be at most 20000'),
      ),
    ),
  },
  'each customer must be an object',
);
export type SeedCustomer = v.InferOutput<typeof seedCustomerSchema>;

export const createWorkspaceSchema = strictObject(
  {
    id: v.optional(workspaceIdSchema),
    name: v.optional(text('name')),
    settings: v.optional(settingsPatchSchema),
    /** The secret the site signs identities with; generated when not given. */
    identitySecret: v.optional(
      v.pipe(
        v.string('identitySecret must be a string'),
        v.minLength(32, 'identitySecret must be at least 32 characters'),
        v.maxLength(256, 'identitySecret must be at most 256 characters'),
        noControls('identitySecret'),
      ),
    ),
    agents: v.optional(
      v.pipe(
        list(agentInputSchema, 100, 'agents'),
        v.check((agents) => new Set(agents.map((a) => a.email)).size === agents.length, 'two agents share an email'),
      ),
    ),
    customers: v.optional(list(seedCustomerSchema, 500, 'customers')),
  },
  'the body must be a JSON object',
);

export type CreateWorkspace = v.InferOutput<typeof createWorkspaceSchema>;

export const seedCustomersSchema = strictObject(
  { customers: list(seedCustomerSchema, 500, 'customers', 1) },
  'the body must be a JSON object with a customers array',
);
