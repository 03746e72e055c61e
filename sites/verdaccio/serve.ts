/**
 * Starts verdaccio, a private npm registry with a single-page web UI, as a site under test:
 * `tsx sites/verdaccio/serve.ts --port 4330`. Every start is fresh: its storage and account file
 * live in .data/verdaccio-<port>/, emptied first. Offline: no uplink to the public registry.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runServer } from 'verdaccio';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4330' } } });
const port = Number(values.port);
const dir = resolve(`.data/verdaccio-${port}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const config = join(dir, 'config.yaml');
writeFileSync(
  config,
  `# Written by sites/verdaccio/serve.ts
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 100
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
web:
  title: Local registry
log: { type: stdout, format: pretty, level: warn }
`,
);

const app = await runServer(config);
app.listen(port, '127.0.0.1', () => console.log(`[verdaccio] http://127.0.0.1:${port}  storage: ${dir}`));
