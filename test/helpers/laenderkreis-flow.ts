/**
 * Steps of channel `laenderkreis` over the real API (docs/laenderkreis.md), shared by the tests and the
 * history recorder: a conference of the test's own with its calendar, and an initiative driven into phase
 * `conference` through a consultation with an invited Land. Free of vitest.
 */
import type { Initiative } from '../../workflows/contracts.js';
import type { Land } from '../../workflows/domain.js';
import type { VotingRule } from '../../workflows/conferences.js';
import { LANDS } from '../../workflows/domain.js';
import { expectStatus } from '../kit/client.js';
import { check, type Flow } from '../kit/flow.js';

export interface TestSession {
  date: string;
  number?: number;
}

/** All Länder but Thuringia: TH's principals are the non-members the refusals need. */
export const MEMBERS_BUT_TH: Land[] = LANDS.filter((land) => land !== 'TH');

let conferences = 0;

/** A conference of the caller's own (a fresh key each call) with `sessions` as its calendar. */
export async function testConference(
  flow: Flow,
  sessions: TestSession[],
  {
    members = MEMBERS_BUT_TH,
    bund = false,
    decision = { type: 'min_laender', laender: 3 },
    recommendation,
    registrationLeadDays = 21,
  }: {
    members?: Land[];
    bund?: boolean;
    decision?: VotingRule;
    recommendation?: VotingRule;
    registrationLeadDays?: number;
  } = {},
): Promise<string> {
  conferences += 1;
  const key = `lk-${process.pid % 10_000}-${conferences}`;
  const put = await flow.api.request('PUT', `/v1/conferences/${key}`, {
    token: flow.who.admin,
    body: {
      name: `Testkonferenz ${conferences}`,
      members,
      bund,
      votingRules: { decision, ...(recommendation ? { recommendation } : {}) },
      registrationLeadDays,
      source: 'https://example.org/test-conference',
      provisional: true,
    },
  });
  expectStatus(put, 200, `PUT conference ${key}`);
  const calendar = await flow.api.request('PUT', `/v1/conferences/${key}/sessions`, {
    token: flow.who.admin,
    body: sessions.map((s) => ({ ...s, source: 'https://example.org/test-calendar' })),
  });
  expectStatus(calendar, 200, `PUT calendar of ${key}`);
  return key;
}

/**
 * A laenderkreis initiative of conference `key` in phase `conference`: HE invited at creation, both partners
 * approve (consultation, HE's invitation open), then HE joins.
 */
export async function toConference(
  flow: Flow,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<Initiative> {
  const created = await flow.create({
    channel: 'laenderkreis',
    conference: key,
    invite: ['HE'],
    ...overrides,
  });
  const consultation = await flow.approveBoth(created.id);
  check('phase after both approvals', consultation.phase, 'consultation');
  const conference = await flow.command(created.id, '/invitations/HE', flow.who.reviewerHE, {
    decision: 'join',
  });
  check('phase after HE joined', conference.phase, 'conference');
  return conference;
}

export const register = (flow: Flow, id: string, body: Record<string, unknown>, as = flow.who.liaisonBY) =>
  flow.post(id, '/conference/registration', as, body);
export const coApply = (flow: Flow, id: string, as: string) =>
  flow.post(id, '/conference/co-applicants', as, {});
export const decideConference = (
  flow: Flow,
  id: string,
  body: Record<string, unknown>,
  as = flow.who.liaisonBY,
) => flow.post(id, '/conference/decision', as, body);
