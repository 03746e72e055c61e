/**
 * The fixture site's own accounts. Their data is what the site passes to `CV.user.tag` after
 * sign-in: labels, and for some an agent the vendor should route them to. `SITE_AGENTS` are
 * the agents a workspace needs for those assignments to be valid.
 */
export interface SiteUser {
  email: string;
  password: string;
  firstname: string;
  lastname: string;
  labels: string[];
  assignedUser?: string;
}

export const SITE_AGENTS = [
  { email: 'anna.agent@example.com', name: 'Anna Agent' },
  { email: 'ben.agent@example.com', name: 'Ben Agent' },
] as const;

export const SITE_USERS: readonly SiteUser[] = [
  { email: 'john.doe@example.com', password: 'password', firstname: 'John', lastname: 'Doe', labels: [] },
  {
    email: 'jane.roe@example.com',
    password: 'password',
    firstname: 'Jane',
    lastname: 'Roe',
    labels: ['premium', 'newsletter'],
    assignedUser: 'anna.agent@example.com',
  },
  {
    email: 'max.mustermann@example.com',
    password: 'password',
    firstname: 'Max',
    lastname: 'Mustermann',
    labels: ['beta'],
    assignedUser: 'ben.agent@example.com',
  },
  // Routed to an agent no workspace has: shows how the site reports a refused tag.
  {
    email: 'olga.orphan@example.com',
    password: 'password',
    firstname: 'Olga',
    lastname: 'Orphan',
    labels: [],
    assignedUser: 'departed.agent@example.com',
  },
];

export function findSiteUser(email: string, password: string): SiteUser | undefined {
  return SITE_USERS.find((u) => u.email === email.trim().toLowerCase() && u.password === password);
}

/** What the site hands the widget: the user minus the password. */
export function activeUserOf(user: SiteUser) {
  const { password: _password, ...activeUser } = user;
  return activeUser;
}
