/**
 * The widget API (/api/v1/workspaces/:id/widget/…): what a widget sends and what it is
 * answered. The server validates `tag` bodies with `activeUserSchema`, and the reference widget
 * validates `CV.user.tag` arguments with the same schema before it sends anything.
 *
 * The widget bundle imports this file and what it imports, and nothing of the control API.
 */
import * as z from 'zod/mini';
import { email, FORBIDDEN_KEYS, labels, nonEmptyText, text } from './fields.js';
import type { PublicAgent, WireMessage } from './messages.js';

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
