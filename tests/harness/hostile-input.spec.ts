/**
 * H3 — The API's answer to hostile input (the table in docs/SECURITY.md): each kind gets its
 * 4xx and a JSON error naming the problem, nothing is stored, and the server keeps serving.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures.js';
import { VisitorClient } from '../support/visitor-client.js';
import { HOSTILE_CASES } from './hostile-input.cases.js';

/** The rows of the hostile-input table in docs/SECURITY.md: | input | status | code |. */
function documentedRows(): { input: string; status: number; code: string }[] {
  const doc = readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
  const table = doc.split('<!-- hostile-input-table -->')[1] ?? '';
  return [...table.matchAll(/^\| (.+?) \| (\d{3}) \| `([a-z_]+)` \|$/gm)].map((m) => ({
    input: m[1]!,
    status: Number(m[2]),
    code: m[3]!,
  }));
}

test.describe('H3 hostile input', () => {
  test('[H3.1] each kind of hostile input gets its 4xx and a JSON error, the store is unchanged, and the server keeps serving', async ({
    mockApi,
    workspace,
  }) => {
    const visitor = await VisitorClient.register(mockApi, workspace.id);
    const { visitorId, token } = visitor;
    const before = await workspace.data();
    for (const hostile of HOSTILE_CASES) {
      await test.step(hostile.input, async () => {
        const response = await hostile.send({ api: mockApi, workspaceId: workspace.id, visitorId, token });
        expect(response.status(), hostile.input).toBe(hostile.status);
        expect(response.headers()['content-type'], hostile.input).toContain('application/json');
        const { error } = (await response.json()) as { error: { code: string; message: string } };
        expect(error.code, hostile.input).toBe(hostile.code);
        expect(error.message.length, `${hostile.input}: the message explains`).toBeGreaterThan(10);
      });
    }
    expect(await workspace.data()).toEqual(before);
    expect((await mockApi.get('/health')).ok()).toBe(true);
    expect((await visitor.session()).status()).toBe(200);
  });

  test('[H3.2] docs/SECURITY.md lists exactly these inputs with these answers', () => {
    expect(documentedRows()).toEqual(HOSTILE_CASES.map(({ input, status, code }) => ({ input, status, code })));
  });
});
