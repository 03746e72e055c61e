/**
 * The widget API (/api/v1/workspaces/:id/widget/…): what a widget sends and what it is
 * answered. The server validates `tag` bodies with `activeUserSchema`, and the reference widget
 * validates `CV.user.tag` arguments with the same schema before it sends anything.
 *
 * The widget bundle imports this file and what it imports, and nothing of the control API.
 */
import * as v from 'valibot';
import { email, FORBIDDEN_KEYS, labels, nonEmptyText, strictObject, text } from './fields.js';
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
export const activeUserSchema = v.pipe(
  strictObject(
    {
      id: v.optional(nonEmptyText('id')),
      email: v.optional(email('email')),
      firstname: v.optional(text('firstname')),
      lastname: v.optional(text('lastname')),
      gender: v.optional(v.picklist(GENDERS, `gender must be one of ${GENDERS.map((g) => `"${g}"`).join(', ')}`)),
      labels: v.optional(labels),
      assignedUser: v.optional(email('assignedUser')),
      additionalTaggingData: v.optional(
        v.pipe(
          // Checked before the record: valibot's record drops a "__proto__" key without a word.
          v.unknown(),
          v.check(
            (data) => !data || typeof data !== 'object' || !Object.keys(data).some((k) => FORBIDDEN_KEYS.includes(k)),
            `additionalTaggingData keys may not be ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')}`,
          ),
          v.record(
            v.pipe(v.string(), v.maxLength(100, 'additionalTaggingData keys must be at most 100 characters')),
            v.union(
              [text('a tagging value', 1000), v.number(), v.boolean(), v.null()],
              'additionalTaggingData values must be strings, numbers, booleans or null',
            ),
            'additionalTaggingData must be an object',
          ),
        ),
      ),
      externalToken: v.optional(text('externalToken', 4096)),
      userHash: v.optional(text('userHash', 256)),
    },
    'the user must be an object',
  ),
  v.check((u) => u.id !== undefined || u.email !== undefined, 'an email or an id is needed to identify the customer'),
);
export type ActiveUser = v.InferInput<typeof activeUserSchema>;
export type ValidActiveUser = v.InferOutput<typeof activeUserSchema>;

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
  /** The latest page of the history, oldest first: at most HISTORY_PAGE_SIZE messages. */
  messages: WireMessage[];
  /** Gives the page before `messages` (GET …/messages?before=<olderCursor>); null at the first message. */
  olderCursor: string | null;
}

/** How many messages a page of history holds, unless the request asks for fewer. */
export const HISTORY_PAGE_SIZE = 50;
export const HISTORY_PAGE_MAX = 200;

/** GET /visitors/:visitorId/messages?before=<cursor>&limit=<n>: the page before the cursor. */
export interface HistoryPage {
  /** Oldest first. */
  messages: WireMessage[];
  olderCursor: string | null;
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
