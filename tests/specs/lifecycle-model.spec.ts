/**
 * C22 — The lifecycle model. Random sequences of what users and sites do (log in, log out,
 * switch user, reload, Back, tabs of every kind, close everything, another device, send, an
 * agent's reply, two calls in one tick) run against the real site, server and widget, and after
 * every step each tab and the server are compared with the model in tests/model/. A failure
 * is shrunk to the shortest sequence and printed as numbered steps with the seed that replays it.
 *
 * CI runs a fixed seed. `FC_SEED=<n>` explores other sequences, `FC_RUNS=<n>` runs n sequences
 * per test, `FC_PATH` (printed by a failure) replays one.
 */
import { test } from '../fixtures.js';
import { exploreModel } from '../model/run-model.js';

const SEED = Number(process.env.FC_SEED ?? 20261127);
const RUNS = Number(process.env.FC_RUNS ?? 3);
/** Independent seeds per id mode, so that the workers share the exploration. */
const PARTS = 2;

test.describe('C22 the lifecycle model', () => {
  for (const [clause, mode] of [
    ['C22.1', 'session'],
    ['C22.2', 'local'],
  ] as const) {
    for (let part = 1; part <= PARTS; part++) {
      const title = `[${clause}] random sequences of user and site steps agree with the model (${mode} ids, part ${part})`;
      test(title, async ({ browser, admin, mockApi }) => {
        test.setTimeout(12 * 60_000);
        const ran = await exploreModel(
          { browser, admin, mockApi },
          {
            mode,
            seed: SEED + part + (mode === 'local' ? 1000 : 0),
            runs: RUNS,
            maxCommands: 8,
            timeLimitMs: 10 * 60_000,
            path: process.env.FC_PATH,
          },
          (path) => `FC_SEED=${SEED} FC_PATH="${path}" npx playwright test tests/specs/lifecycle-model.spec.ts -g "${clause}.*part ${part}"`,
        );
        test.info().annotations.push({ type: 'sequences', description: String(ran) });
      });
    }
  }
});
