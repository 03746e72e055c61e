/**
 * C22 — The lifecycle model. Random sequences of what users and sites do (log in, log out,
 * switch user, reload, Back and Forward, tabs of every kind, close everything, another device, send, an
 * agent's reply, two calls in one tick) run against the real site, server and widget, and after
 * every step each tab and the server are compared with the model in tests/model/. A failure
 * is shrunk to the shortest sequence and printed as numbered steps with the seed that replays it.
 *
 * CI runs a fixed seed. `FC_SEED=<n>` explores other sequences, `FC_RUNS=<n>` runs n sequences
 * per test, `FC_PATH` (printed by a failure) replays one.
 */
import { test } from '../fixtures.js';
import {
  Back,
  CloseAllAndReturn,
  Forward,
  GoAway,
  Login,
  Logout,
  OpenTab,
  Reload,
  SameTick,
  Send,
  SessionEnds,
} from '../model/commands.js';
import type { Account } from '../model/lifecycle-model.js';
import { ACCOUNTS, exploreModel, runSequence, type Scenario } from '../model/run-model.js';

// Some drawn sites forget Cache-Control: no-store, and Back may then restore a page from the
// back/forward cache, which only full Chromium keeps (Chromium's headless shell loads it again).
test.use({ chromiumBuild: 'full' });

const SEED = Number(process.env.FC_SEED ?? 20261127);
const RUNS = Number(process.env.FC_RUNS ?? 5);
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
            endOnFailure: process.env.FC_END_ON_FAILURE === '1',
          },
          (path) =>
            `FC_SEED=${SEED} FC_PATH="${path}" npx playwright test tests/specs/lifecycle-model.spec.ts -g "${clause}.*part ${part}"`,
        );
        test.info().annotations.push({ type: 'sequences', description: String(ran) });
      });
    }
  }
});

/**
 * The state table of docs/CONTRACT.md: each state a visitor can be in, followed by a reload,
 * Back, a new tab and closing every tab, in both id modes, through the same model and checks.
 */
test.describe('C22 the state table', () => {
  const [JOHN] = ACCOUNTS;
  const withHistory: Scenario = { history: { [JOHN!.email]: 2 }, agentWithoutRouting: [JOHN!.email], forgetsNoStore: false };
  const visits = () => [new Reload(0), new GoAway(0), new Back(0), new Forward(0), new OpenTab(0, 'user'), new CloseAllAndReturn()];

  const rows = [
    ['C22.3', 'an anonymous visitor who wrote', () => [new Send(0, 'enter'), ...visits()]],
    ['C22.4', 'a signed-in customer', () => [new Login(0, JOHN!), new Send(0), ...visits()]],
    ['C22.5', 'a visitor after logout', () => [new Login(0, JOHN!), new Logout(0), new Send(0), ...visits()]],
  ] as const;
  for (const [clause, state, steps] of rows) {
    test(`[${clause}] ${state}: reload, Back, Forward, a new tab and closing every tab give what the state table says, in both id modes`, async ({
      browser,
      admin,
      mockApi,
    }) => {
      // Two sequences of six to eight steps, each compared with the model: minutes on a busy 2-core machine.
      test.setTimeout(4 * 60_000);
      for (const mode of ['session', 'local'] as const) {
        await test.step(`${mode} ids`, () => runSequence({ browser, admin, mockApi }, mode, withHistory, [...steps()]));
      }
    });
  }
});

/** Rules the model enforces on every step that no other clause names, each on a fixed sequence. */
test.describe('C22 rules of the model', () => {
  const [JOHN, JANE, MAX] = ACCOUNTS as [Account, Account, Account];
  const tag = (account: Account) => ({ method: 'tag' as const, account });
  const reset = { method: 'reset' as const };

  test('[C22.6] a tag or reset Promise settles only once the server has done it, and the screen shows it at that moment', async ({
    browser,
    admin,
    mockApi,
  }) => {
    test.setTimeout(3 * 60_000);
    const scenario: Scenario = {
      history: { [JOHN.email]: 1, [JANE.email]: 2, [MAX.email]: 1 },
      agentWithoutRouting: [],
      forgetsNoStore: false,
    };
    await runSequence({ browser, admin, mockApi }, 'session', scenario, [
      new Send(0),
      new SameTick(0, [tag(JOHN), tag(JOHN)]),
      new SameTick(0, [reset, tag(JANE)]),
      new SameTick(0, [tag(MAX), reset]),
      new SameTick(0, [reset, reset]),
      new SameTick(0, [tag(JANE), tag(MAX)]),
    ]);
  });

  test("[C22.7] each customer shows its own agent or none: a customer without an agent never shows the previous customer's", async ({
    browser,
    admin,
    mockApi,
  }) => {
    test.setTimeout(3 * 60_000);
    const scenario: Scenario = {
      history: { [JOHN.email]: 1, [JANE.email]: 1, [MAX.email]: 1 },
      agentWithoutRouting: [],
      forgetsNoStore: false,
    };
    await runSequence({ browser, admin, mockApi }, 'local', scenario, [
      new Login(0, JANE),
      new SessionEnds(),
      new Login(0, JOHN),
      new Reload(0),
      new SameTick(0, [tag(MAX), tag(JOHN)]),
      new OpenTab(0, 'user'),
      new Logout(1),
    ]);
  });
});
