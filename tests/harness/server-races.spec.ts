/**
 * H5 — The mock server's writes decide on what is stored when they are made, not on what was
 * read before an await. Built in-process (tests/support/in-process-server.ts) so that the test
 * can hold the tag's identity check open while another request lands.
 */
import { expect, test } from '@playwright/test';
import { verifyIdentity } from '../../mock-server/src/identity.js';
import type { WorkspaceDump } from '../support/admin-client.js';
import { deferred } from '../support/deferred.js';
import { startInProcess } from '../support/in-process-server.js';
import { VisitorClient } from '../support/visitor-client.js';

test.describe('H5 server races', () => {
  test('[H5.1] a reset that lands while a tag is being verified wins: the tag is refused and nothing is tagged', async ({ playwright }) => {
    const checking = deferred();
    const mayFinish = deferred();
    const server = await startInProcess({
      identityVerifier: async (ws, user) => {
        checking.resolve();
        await mayFinish.promise;
        return verifyIdentity(ws, user);
      },
    });
    const api = await playwright.request.newContext({ baseURL: server.url });
    try {
      const { id } = (await (await api.post('/__admin/workspaces', { data: {} })).json()) as { id: string };
      const visitor = await VisitorClient.register(api, id);
      expect((await visitor.send('before the login')).status()).toBe(201);

      const tag = visitor.tag({ email: 'kim@example.com', firstname: 'Kim' });
      await checking.promise;
      expect((await visitor.reset()).status(), 'the reset lands while the tag waits for its identity check').toBe(204);
      mayFinish.resolve();

      const answer = await tag;
      expect(answer.status()).toBe(401);
      expect((await answer.json()).error.code).toBe('visitor_revoked');
      const stored = (await (await api.get(`/__admin/workspaces/${id}`)).json()) as WorkspaceDump;
      const kept = stored.visitors.find((v) => v.id === visitor.visitorId);
      expect(kept?.revokedAt, 'the reset is stored').toBeTruthy();
      expect(kept?.customerId, 'the revoked visitor is tagged as no one').toBeUndefined();
      expect(stored.customers, 'no customer was made for the refused tag').toEqual([]);
    } finally {
      await api.dispose();
      await server.stop();
    }
  });
});
