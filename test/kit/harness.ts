/**
 * The vitest side of the kit: `useHarness()` gives a test file its own service (a clone of the run's
 * template database, a namespace and task queue of its own, an in-process worker, the API on a free
 * port), started in `beforeAll` and closed in `afterAll`, and the checks of command answers.
 */
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { Initiative } from '../../workflows/contracts.js';
import type { Land, Role } from '../../workflows/domain.js';
import { cloneTemplate } from '../helpers/database.js';
import type { ApiResponse } from './client.js';
import { check, type Flow, type Session } from './flow.js';
import { Harness, type HarnessOptions } from './service.js';

/** Starts a harness on the run's Temporal dev server and a clone of its template database. */
export async function startHarness(options: HarnessOptions = {}, harness = new Harness()): Promise<Harness> {
  const database = await cloneTemplate(inject('templateDatabase'));
  return harness.start(
    {
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
      database,
    },
    options,
  );
}

/**
 * The test file's harness: started before its first test (with `calendar` as the plenary calendar, if
 * given), closed after its last. The handle is there at once (its parts and `who` once `beforeAll` ran),
 * so `const harness = useHarness(); const { who, flow } = harness;` at the top of a file serves every
 * test and later hook. Hooks the file registers afterwards run after the start and before the close.
 */
export function useHarness({
  calendar,
  ...options
}: HarnessOptions & { calendar?: Session[] } = {}): Harness {
  const harness = new Harness();
  beforeAll(async () => {
    await startHarness(options, harness);
    if (calendar) check('PUT the plenary calendar', (await harness.flow.putCalendar(calendar)).status, 200);
  });
  afterAll(() => harness.close());
  return harness;
}

/**
 * A command's answer is the whole initiative after the command: one version more than before, and an
 * immediate GET shows that version (or a newer one when a timer may have fired in between).
 */
export async function expectAnswer(
  flow: Flow,
  before: Initiative,
  answer: Initiative,
  { timersMayFire = false } = {},
) {
  expect(answer.id).toBe(before.id);
  expect(answer.version).toBe(before.version + 1);
  expect(Date.parse(answer.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
  const read = await flow.get(answer.id);
  if (timersMayFire) expect(read.version).toBeGreaterThanOrEqual(answer.version);
  else expect(read).toEqual(answer);
}

/**
 * A command that closed the initiative: 200, a proper answer (expectAnswer), phase `result` and the
 * outcome `{ result, reason, at }` stamped at the answer's update.
 */
export async function expectClosedBy(
  flow: Flow,
  before: Initiative,
  response: ApiResponse<Initiative>,
  result: 'adopted' | 'rejected',
  reason: string,
) {
  expect(response.status).toBe(200);
  await expectAnswer(flow, before, response.body);
  expect(response.body.phase).toBe(result);
  expect(response.body.outcome).toEqual({ result, reason, at: response.body.updatedAt });
}

/** Matchers typed `unknown`, so that typed lint accepts them inside object literals. */
export const ACTOR = (sub: string, land: Land, role: Role): unknown =>
  expect.objectContaining({ sub, land, role });
export const anyString: unknown = expect.any(String);
export const containing = (text: string): unknown => expect.stringContaining(text);
export const SYSTEM = { sub: 'system', name: 'system', land: null, role: 'system' };
