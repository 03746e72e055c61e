/**
 * The fixture site's accounts that specs sign in as, named by first name. They come from the
 * site's own list, so a spec and the site can never disagree about who exists.
 */
import { SITE_USERS } from '../../fixture-site/src/users.js';
import type { SeedCustomer } from './admin-client.js';

function emailOf(firstname: string): string {
  const user = SITE_USERS.find((u) => u.firstname === firstname);
  if (!user) throw new Error(`the fixture site has no account for ${firstname} (fixture-site/src/users.ts)`);
  return user.email;
}

export const JOHN = emailOf('John');
/** The site routes her to Anna Agent, with labels premium and newsletter. */
export const JANE = emailOf('Jane');
/** The site routes him to Ben Agent, with label beta. */
export const MAX = emailOf('Max');
/** The site routes her to an agent no workspace has: her tag is refused. */
export const OLGA = emailOf('Olga');

/**
 * A seed of customers, each with the messages they wrote earlier, oldest first:
 * `customersWhoWrote({ [JOHN]: ['Where is my order?'], [MAX]: [] })`.
 */
export function customersWhoWrote(texts: Record<string, string[]>): { customers: SeedCustomer[] } {
  return {
    customers: Object.entries(texts).map(([email, written]) => ({
      email,
      messages: written.map((text) => ({ from: 'customer', text })),
    })),
  };
}
