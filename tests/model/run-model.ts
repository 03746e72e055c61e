/**
 * Runs sequences of user and site steps against the real fixture site, mock server and widget,
 * comparing every tab and the server with the lifecycle model after each step. Random
 * sequences come from fast-check (`fc.commands` and `fc.asyncModelRun`); a failure shrinks to
 * the shortest sequence that still fails and is printed as numbered steps with the seed and
 * path that replay it. Fixed sequences (the state table's clauses) run through the same code.
 */
import fc from 'fast-check';
import type { APIRequestContext, Browser } from '@playwright/test';
import { SITE_AGENTS, SITE_USERS } from '../../fixture-site/src/users.js';
import type { AdminClient, SeedCustomer } from '../support/admin-client.js';
import { AgentClient } from '../support/agent-client.js';
import { IDENTITY_SECRET } from '../support/env.js';
import { commandArbitraries, openFirstTab } from './commands.js';
import { newModel, seedCustomer, type Account, type IdMode, type Model } from './lifecycle-model.js';
import { World } from './world.js';

export const ACCOUNTS: Account[] = SITE_USERS.map(({ password: _password, ...account }) => account);
/** Accounts the server refuses to tag: routed to an agent no workspace has. */
const REFUSED = ACCOUNTS.filter((a) => a.assignedUser && !SITE_AGENTS.some((g) => g.email === a.assignedUser)).map((a) => a.email);

/** Who has a history before the sequence starts: earlier messages per account, some with an agent. */
export interface Scenario {
  history: Record<string, number>;
  /** Accounts seeded with an agent although the site does not route them to one. */
  agentWithoutRouting: string[];
  /** The site forgets `Cache-Control: no-store`: Back may restore pages from the back/forward cache. */
  forgetsNoStore: boolean;
}

export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  history: fc.record(Object.fromEntries(ACCOUNTS.filter((a) => !REFUSED.includes(a.email)).map((a) => [a.email, fc.nat({ max: 3 })]))),
  agentWithoutRouting: fc.subarray(ACCOUNTS.filter((a) => !a.assignedUser).map((a) => a.email)),
  forgetsNoStore: fc.boolean(),
});

export function describeScenario(s: Scenario): string {
  const parts = Object.entries(s.history).map(([email, n]) => {
    const extraAgent = s.agentWithoutRouting.includes(email) ? ', seeded with Ben Agent assigned' : '';
    return `${email} has ${n} earlier message${n === 1 ? '' : 's'}${extraAgent}`;
  });
  return `${parts.join('; ')}${s.forgetsNoStore ? '; the site forgets Cache-Control: no-store (cookie site_cache=bfcache)' : ''}`;
}

export interface Harness {
  browser: Browser;
  admin: AdminClient;
  mockApi: APIRequestContext;
}

/** A workspace seeded as the scenario says, a fresh profile with one tab at the home page. */
export async function setUp(h: Harness, mode: IdMode, scenario: Scenario): Promise<{ model: Model; world: World }> {
  const model = newModel(mode, ACCOUNTS, [...SITE_AGENTS], REFUSED);
  const customers: SeedCustomer[] = [];
  for (const [email, count] of Object.entries(scenario.history)) {
    const account = ACCOUNTS.find((a) => a.email === email)!;
    const agent = account.assignedUser ?? (scenario.agentWithoutRouting.includes(email) ? SITE_AGENTS[1].email : undefined);
    if (count === 0 && !agent) continue;
    // Every other earlier message is the agent's reply, where the customer has an agent.
    const texts = seedCustomer(
      model,
      email,
      Array.from({ length: count }, (_, i) => (agent && i % 2 === 1 ? 'earlier agent reply' : `earlier from ${account.firstname}`)),
      agent ?? null,
    );
    customers.push({
      email,
      ...(agent ? { assignedUser: agent } : {}),
      messages: texts.map((text) => ({ from: agent && text.endsWith('earlier agent reply') ? agent : 'customer', text })),
    });
  }
  const created = await h.admin.createWorkspace({
    name: `lifecycle model (${mode})`,
    settings: { idMode: mode },
    identitySecret: IDENTITY_SECRET,
    agents: SITE_AGENTS,
    customers,
  });
  const world = new World(
    h.browser,
    { id: created.id, data: () => h.admin.workspace(created.id), dropStreams: () => h.admin.dropStreams(created.id) },
    new AgentClient(h.mockApi, created.id, created.agents[0]!),
    { forgetsNoStore: scenario.forgetsNoStore },
  );
  await world.newProfile();
  await openFirstTab(model, world);
  return { model, world };
}

export interface ModelRunOptions {
  mode: IdMode;
  seed: number;
  runs: number;
  maxCommands: number;
  /** Stop exploring (and shrinking) after this long; an interrupted run fails. */
  timeLimitMs: number;
  /** A counterexample path printed by an earlier failure, to replay it. */
  path?: string;
  /** Report the first failure as found, without shrinking it (for mutation runs). */
  endOnFailure?: boolean;
}

/** Explores random sequences; throws with a replayable account of the shortest failure. */
export async function exploreModel(h: Harness, options: ModelRunOptions, replayCommand: (path: string) => string): Promise<number> {
  let ran = 0;
  const property = fc.asyncProperty(
    scenarioArbitrary,
    fc.commands(commandArbitraries(ACCOUNTS), { maxCommands: options.maxCommands }),
    async (scenario, commands) => {
      ran += 1;
      const { model, world } = await setUp(h, options.mode, scenario);
      let passed = false;
      try {
        await fc.asyncModelRun(() => ({ model, real: world }), commands);
        passed = true;
      } finally {
        await world.dispose();
        if (passed) await h.admin.deleteWorkspace(world.workspace.id);
      }
    },
  );
  const result = await fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    interruptAfterTimeLimit: options.timeLimitMs,
    markInterruptAsFailure: true,
    endOnFailure: options.endOnFailure ?? false,
    ...(options.path ? { path: options.path } : {}),
  });
  if (result.failed) throw new Error(replayReport(result, options, replayCommand));
  return ran;
}

function replayReport(
  result: fc.RunDetails<[Scenario, Iterable<fc.AsyncCommand<Model, World>>]>,
  options: ModelRunOptions,
  replayCommand: (path: string) => string,
): string {
  if (!result.counterexample) {
    return `the model run was interrupted after ${options.timeLimitMs} ms before ${options.runs} sequences ran (seed ${result.seed}): raise FC time or lower FC_RUNS`;
  }
  const [scenario, commands] = result.counterexample;
  const steps = String(commands)
    .split(',')
    .map((s) => s.replace(/\/\*replayPath=.*?\*\//, '').trim())
    .filter(Boolean);
  const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return [
    `The widget and the lifecycle model disagree (${options.mode} ids). ${options.endOnFailure ? 'First failing sequence (not shrunk: FC_END_ON_FAILURE)' : `Shortest sequence found after ${result.numShrinks} shrinks`}:`,
    `  Workspace: idMode "${options.mode}"; ${describeScenario(scenario)}.`,
    `  0. Open the site in a new browser profile (tab 1)`,
    ...steps.map((s, i) => `  ${i + 1}. ${s}`),
    `It fails at the last step:`,
    error
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n'),
    `Replay: ${replayCommand(result.counterexamplePath ?? '')}`,
  ].join('\n');
}

/** Runs one fixed sequence through the same model and checks (the state table's clauses). */
export async function runSequence(h: Harness, mode: IdMode, scenario: Scenario, commands: fc.AsyncCommand<Model, World>[]): Promise<void> {
  const { model, world } = await setUp(h, mode, scenario);
  let passed = false;
  try {
    for (const [i, command] of commands.entries()) {
      if (!command.check(model)) throw new Error(`step ${i + 1} (${command.constructor.name}) cannot run in the state the model is in`);
      await command.run(model, world);
    }
    passed = true;
  } finally {
    await world.dispose();
    if (passed) await h.admin.deleteWorkspace(world.workspace.id);
  }
}
