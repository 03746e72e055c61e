/**
 * Chat messages as both the widget API and the agent API carry them: the body that posts one,
 * and the message as the server answers it.
 */
import { CONTROL_CHARS_BUT_LINES, nonEmptyText, strictObject } from './fields.js';

export const messageText = nonEmptyText('text', 5000, CONTROL_CHARS_BUT_LINES);

export const messageBodySchema = strictObject({ text: messageText }, 'the body must be a JSON object');

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
