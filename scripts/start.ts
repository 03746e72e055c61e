/**
 * `npm start`: the mock vendor backend and the fixture site, side by side, with a demo
 * workspace (session-based ids, identity verification required, two agents, John Doe's
 * earlier conversation) so that a person can chat anonymously, log in, see history, and log
 * out. Ctrl-C stops both.
 *
 * The demo's secrets (the control namespace's admin token, the workspace's identity secret,
 * the agents' tokens) are made on the first start and kept in .data/demo-secrets.json, so
 * that a restart over the same store still knows them. The mock server runs outside test
 * mode: its control namespace answers only the admin token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SITE_AGENTS } from '../fixture-site/src/users.js';
import { buildMockServer, SERVER_BUILD } from '../mock-server/build.js';

const MOCK_PORT = process.env.MOCK_PORT ?? '4200';
const SITE_PORT = process.env.SITE_PORT ?? '4100';
const mockUrl = `http://127.0.0.1:${MOCK_PORT}`;
const siteUrl = `http://127.0.0.1:${SITE_PORT}`;

const STORE = '.data/store';
const SECRETS = '.data/demo-secrets.json';

interface DemoSecrets {
  adminToken: string;
  identitySecret: string;
  agents: { email: string; token: string }[];
}

/** The demo's secrets, when they belong to the store on disk; a new set otherwise. */
function demoSecrets(): DemoSecrets {
  if (existsSync(SECRETS) && existsSync(STORE)) return JSON.parse(readFileSync(SECRETS, 'utf8')) as DemoSecrets;
  const fresh = { adminToken: randomBytes(24).toString('base64url'), identitySecret: randomBytes(32).toString('base64url'), agents: [] };
  saveSecrets(fresh);
  return fresh;
}

function saveSecrets(secrets: DemoSecrets): void {
  mkdirSync('.data', { recursive: true });
  writeFileSync(SECRETS, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

const secrets = demoSecrets();

const children: ChildProcess[] = [];
/** Runs a Node program (the built server, or a TypeScript file through tsx). */
function run(name: string, args: string[], env: Record<string, string>): void {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} stopped (${signal ?? `exit ${code}`}); stopping everything`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0): void {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within 30 s`);
}

// Secrets go to the children through the environment: arguments would show in `ps`.
// The mock server runs built, on plain Node (mock-server/build.ts says why); the site through tsx.
await buildMockServer();
run('mock-server', [SERVER_BUILD, '--port', MOCK_PORT, '--data', STORE], { MOCK_ADMIN_TOKEN: secrets.adminToken });
run('fixture-site', ['--import', 'tsx', 'fixture-site/src/main.ts', '--port', SITE_PORT, '--mock', mockUrl, '--workspace', 'demo'], {
  SITE_IDENTITY_SECRET: secrets.identitySecret,
});

try {
  await waitFor(`${mockUrl}/health`);
  const res = await fetch(`${mockUrl}/__admin/workspaces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secrets.adminToken}` },
    body: JSON.stringify({
      id: 'demo',
      name: 'Demo shop',
      settings: { idMode: 'session', identityVerification: 'required' },
      identitySecret: secrets.identitySecret,
      agents: SITE_AGENTS,
      customers: [
        {
          email: 'john.doe@example.com',
          firstname: 'John',
          lastname: 'Doe',
          messages: [
            { from: 'customer', text: 'Hi, where is my order #1042?' },
            { from: SITE_AGENTS[0].email, text: 'It left our warehouse this morning and arrives tomorrow.' },
          ],
        },
      ],
    }),
  });
  if (res.status === 201) {
    const created = (await res.json()) as { agents: { email: string; token: string }[] };
    saveSecrets({ ...secrets, agents: created.agents.map(({ email, token }) => ({ email, token })) });
    secrets.agents = created.agents;
  } else if (res.status === 409) {
    if (secrets.agents.length === 0)
      console.warn(`[start] ${STORE} holds a demo workspace made without ${SECRETS}: delete ${STORE} to start over`);
  } else {
    throw new Error(`creating the demo workspace failed: ${await res.text()}`);
  }
  await waitFor(`${siteUrl}/health`);
  console.log(`
  Fixture site:      ${siteUrl}   (log in as john.doe@example.com / password)
  Mock vendor API:   ${mockUrl}
  Workspace data:    curl -H "Authorization: Bearer $(node -p "require('./${SECRETS}').adminToken")" ${mockUrl}/__admin/workspaces/demo
${secrets.agents.map((a) => `  Agent token for ${a.email}: ${a.token}`).join('\n')}
  Secrets (admin token, identity secret, agent tokens) are in ${SECRETS}.
  Press Ctrl-C to stop.
`);
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  stop(1);
}
