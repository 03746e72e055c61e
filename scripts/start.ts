/**
 * `npm start`: the mock vendor backend and the fixture site, side by side, with a demo
 * workspace (session-based ids, two agents, John Doe's earlier conversation) so that a person
 * can chat anonymously, log in, see history, and log out. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SITE_AGENTS } from '../fixture-site/src/users.js';

const MOCK_PORT = process.env.MOCK_PORT ?? '4200';
const SITE_PORT = process.env.SITE_PORT ?? '4100';
const mockUrl = `http://127.0.0.1:${MOCK_PORT}`;
const siteUrl = `http://127.0.0.1:${SITE_PORT}`;

const children: ChildProcess[] = [];
function run(name: string, args: string[]): void {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: 'inherit', env: process.env });
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

run('mock-server', ['mock-server/src/main.ts', '--port', MOCK_PORT]);
run('fixture-site', ['fixture-site/src/main.ts', '--port', SITE_PORT, '--mock', mockUrl, '--workspace', 'demo']);

try {
  await waitFor(`${mockUrl}/__admin/health`);
  const res = await fetch(`${mockUrl}/__admin/workspaces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      id: 'demo',
      name: 'Demo shop',
      settings: { idMode: 'session' },
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
  if (res.status !== 201 && res.status !== 409) throw new Error(`creating the demo workspace failed: ${await res.text()}`);
  await waitFor(`${siteUrl}/health`);
  const agents = res.status === 201 ? ((await res.json()) as { agents: { email: string; token: string }[] }).agents : [];
  console.log(`
  Fixture site:      ${siteUrl}   (log in as john.doe@example.com / password)
  Mock vendor API:   ${mockUrl}   (workspace data: ${mockUrl}/__admin/workspaces/demo)
${agents.map((a) => `  Agent token for ${a.email}: ${a.token}`).join('\n')}
  Press Ctrl-C to stop.
`);
} catch (err) {
  console.error(`[start] ${(err as Error).message}`);
  stop(1);
}
