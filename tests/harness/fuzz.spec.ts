/**
 * H4 — Property-based fuzzing with fast-check: the tag schema (shared by the widget and the
 * server) and the API itself. Runs are reproducible: the seed is fixed unless FC_SEED gives
 * another, and FC_RUNS sets how many cases each property tries. A failure prints the seed and
 * the smallest input that fails.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { ACTIVE_USER_FIELDS, activeUserSchema } from '../../protocol/widget-api.js';
import { describeIssues, summarizeIssues } from '../../protocol/issues.js';
import { expect, test } from '../fixtures.js';
import { VisitorClient } from '../support/visitor-client.js';

const SEED = Number(process.env.FC_SEED ?? 20261123);
const RUNS = Number(process.env.FC_RUNS ?? 300);
const params = { seed: SEED, numRuns: RUNS };

/** Values shaped like a user: the real keys, a typo or two, with any JSON value or near-miss. */
const userLike = fc.dictionary(
  fc.constantFrom(...ACTIVE_USER_FIELDS, 'assigneduser', 'e-mail'),
  fc.oneof(
    fc.jsonValue(),
    fc.emailAddress(),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.array(fc.string({ maxLength: 120 }), { maxLength: 60 }),
    fc.constantFrom('male', 'female', 'other', 'none', 'anna.agent@example.com'),
  ),
  { maxKeys: 8 },
);
const anyBody = fc.oneof(userLike, fc.jsonValue());

test.describe('H4 fuzzing', () => {
  test('[H4.1] the tag schema never throws: it accepts a valid user or names every problem', () => {
    fc.assert(
      fc.property(anyBody, (value) => {
        const result = v.safeParse(activeUserSchema, value);
        if (result.success) {
          expect(result.output.email !== undefined || result.output.id !== undefined).toBe(true);
          expect(v.safeParse(activeUserSchema, result.output).success, 'a parsed user parses again').toBe(true);
        } else {
          expect(summarizeIssues(result.issues).length).toBeGreaterThan(0);
          for (const issue of describeIssues(result.issues)) expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      params,
    );
  });

  test('[H4.2] the API answers any tag or message body with 2xx or a 4xx JSON error, never a 5xx, and keeps serving', async ({
    mockApi,
    workspace,
  }) => {
    const checkAnswer = async (response: Awaited<ReturnType<typeof mockApi.post>>) => {
      expect(response.status()).toBeLessThan(500);
      if (response.status() >= 400) {
        const { error } = (await response.json()) as { error: { code: unknown; message: unknown } };
        expect(typeof error.code).toBe('string');
        expect(typeof error.message).toBe('string');
      }
    };
    await fc.assert(
      fc.asyncProperty(anyBody, fc.string({ unit: 'binary', maxLength: 400 }), async (body, raw) => {
        const visitor = await VisitorClient.register(mockApi, workspace.id);
        await checkAnswer(await visitor.post('tag', JSON.stringify(body)));
        await checkAnswer(await visitor.post('tag', raw));
        await checkAnswer(await visitor.post('messages', JSON.stringify(body)));
      }),
      { ...params, numRuns: Math.ceil(RUNS / 3) },
    );
    expect((await mockApi.get('/health')).ok()).toBe(true);
    const stored = await workspace.data();
    for (const customer of stored.customers) expect(customer.email ?? customer.externalId).toBeTruthy();
  });
});
