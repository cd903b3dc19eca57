/**
 * The lifecycles the fault tests drive through the API: each is six commands long (so that every
 * initiative stays in flight until the last step), ends in a known phase and leaves a known history —
 * which is how the verification tells a lost or duplicated command from a correct run.
 */
import type { Initiative } from '../../workflows/contracts.js';
import type { Phase } from '../../workflows/domain.js';
import { note, Progress } from './progress.js';
import { newInitiative, principals, token } from '../kit/index.js';
import {
  isAcknowledged,
  type Actor,
  type CommandRecord,
  type FirstAnswer,
  type ResilientClient,
} from './client.js';

export type People = Record<'proposerBY' | 'proposerNW' | 'reviewerBY' | 'reviewerNW' | 'viewer', Actor>;

export async function people(): Promise<People & { admin: Actor }> {
  const tokens = await principals();
  const actor = (key: keyof typeof tokens, sub: string): Actor => ({ token: tokens[key], sub });
  return {
    proposerBY: actor('proposerBY', 'p-by'),
    proposerNW: actor('proposerNW', 'p-nw'),
    reviewerBY: actor('reviewerBY', 'r-by'),
    reviewerNW: actor('reviewerNW', 'r-nw'),
    viewer: actor('viewer', 'v-1'),
    admin: { token: await token({ sub: 'admin', land: 'BE', roles: ['admin'] }), sub: 'admin' },
  };
}

export interface Step {
  label: string;
  actor: keyof People;
  /** Path below /v1/initiatives/{id}; the create has none. */
  path?: string;
  body: unknown;
  /** Audit event types the command appends, all with the command's actor. */
  events: string[];
}

export interface Scenario {
  name: string;
  phase: Phase;
  steps: Step[];
}

const review = (land: 'BY' | 'NW', decision: string, closesRound: boolean): Step => ({
  label: `${land} ${decision}`,
  actor: land === 'BY' ? 'reviewerBY' : 'reviewerNW',
  path: '/reviews',
  body: decision === 'approve' ? { decision } : { decision, comment: `${land}: ${decision}` },
  events: closesRound ? ['review_decided', 'phase_changed'] : ['review_decided'],
});

const create = (lead: 'BY' | 'NW', name: string): Step => ({
  label: 'create',
  actor: lead === 'BY' ? 'proposerBY' : 'proposerNW',
  body: newInitiative({ title: `Fault suite: ${name}` }),
  events: ['initiative_created'],
});

const revise = (lead: 'BY' | 'NW'): Step => ({
  label: 'revise',
  actor: lead === 'BY' ? 'proposerBY' : 'proposerNW',
  path: '/revisions',
  body: { summary: 'Überarbeitet nach den Anmerkungen der Partner.', comment: 'Anmerkungen eingearbeitet.' },
  events: ['revision_submitted', 'phase_changed'],
});

export const SCENARIOS: Scenario[] = [
  {
    name: 'revised, adopted',
    phase: 'adopted',
    steps: [
      create('BY', 'revised, adopted'),
      review('NW', 'request_changes', false),
      review('BY', 'approve', true),
      revise('BY'),
      review('NW', 'approve', false),
      review('BY', 'approve', true),
    ],
  },
  {
    name: 'revised, rejected',
    phase: 'rejected',
    steps: [
      create('NW', 'revised, rejected'),
      review('BY', 'request_changes', false),
      review('NW', 'approve', true),
      revise('NW'),
      review('BY', 'approve', false),
      review('NW', 'reject', true),
    ],
  },
  {
    name: 'revised, withdrawn',
    phase: 'withdrawn',
    steps: [
      create('BY', 'revised, withdrawn'),
      review('NW', 'request_changes', false),
      review('BY', 'request_changes', true),
      revise('BY'),
      review('NW', 'approve', false),
      {
        label: 'withdraw',
        actor: 'proposerBY',
        path: '/withdrawal',
        body: { reason: 'Durch eine Bundesinitiative überholt.' },
        events: ['withdrawn', 'phase_changed'],
      },
    ],
  },
];

export const STEPS = Math.max(...SCENARIOS.map((scenario) => scenario.steps.length));

/** One initiative of the batch: its scenario, its id once created, and every command as the client saw it. */
export interface Lifecycle {
  scenario: Scenario;
  id: string | undefined;
  commands: CommandRecord<Initiative>[];
}

export const batch = (size: number): Lifecycle[] =>
  Array.from({ length: size }, (_, i) => ({
    scenario: SCENARIOS[i % SCENARIOS.length] as Scenario,
    id: undefined,
    commands: [],
  }));

/** Sends step `index` of `lifecycle` (if its scenario has one) through `client`. */
export async function advance(
  client: ResilientClient,
  who: People,
  lifecycle: Lifecycle,
  index: number,
  onFirstAnswer?: FirstAnswer,
): Promise<void> {
  const step = lifecycle.scenario.steps[index];
  // A lifecycle stops at a command that was never acknowledged (the verification reports it).
  if (!step || !lifecycle.commands.every(isAcknowledged)) return;
  const path = step.path ? `/v1/initiatives/${lifecycle.id}${step.path}` : '/v1/initiatives';
  if (step.path && !lifecycle.id) throw new Error(`step ${step.label} before the create was acknowledged`);
  const record = await client.command<Initiative>(
    step.label,
    who[step.actor],
    path,
    step.body,
    onFirstAnswer,
  );
  lifecycle.commands.push(record);
  if (!step.path && record.status === 201) lifecycle.id = record.body.id;
}

/** `type by sub` of every event the scenario's commands append, in order. */
export function expectedHistory(scenario: Scenario, who: People): string[] {
  return scenario.steps.flatMap((step) => step.events.map((type) => `${type} by ${who[step.actor].sub}`));
}

/**
 * Drives `lifecycles` step by step with `clients` concurrent clients, each owning every n-th initiative
 * and sending its commands of a step at once. `begun` counts the steps some client has begun.
 */
export async function driveBatch(
  client: ResilientClient,
  who: People,
  lifecycles: Lifecycle[],
  clients: number,
  begun: Progress,
): Promise<void> {
  const owned = Array.from({ length: clients }, (_, c) => lifecycles.filter((_, i) => i % clients === c));
  const finished = Array.from({ length: STEPS }, () => new Progress());
  await Promise.all(
    owned.map(async (mine) => {
      for (let step = 0; step < STEPS; step++) {
        while (begun.count <= step) begun.increment();
        await Promise.all(mine.map((lifecycle) => advance(client, who, lifecycle, step)));
        finished[step]?.increment();
        if (finished[step]?.count === clients)
          note(`step ${step + 1} of ${STEPS} answered for every initiative`);
      }
    }),
  );
}
