/**
 * Deadline extensions (docs/domain.md#deadline-extensions) through the API on a real worker: the lead
 * Land's proposer or cabinet moves a pending review's, answer's or revision's deadline; the timers follow
 * the new date (short periods: the old reminder, escalation, expiry and no_response never come); `overdue`
 * clears once no review is past its deadline; and every refusal of the issue, with nothing changed.
 */
import { describe, it } from 'vitest';
import { lastDayOf } from '../lib/dates.js';
import type { Initiative } from '../workflows/contracts.js';
import { addDays, berlinToday, eventually, historyOf, useHarness, waitForInitiative } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const extend = (id: string, as: string, body: Record<string, unknown>) =>
  flow.post(id, '/extensions', as, body);
const reviewDue = (initiative: Initiative, land: string) =>
  initiative.reviews.find((r) => r.land === land)?.dueAt ?? '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const types = async (id: string) => (await historyOf(harness, id, who.viewer)).map((e) => e.type);

describe.concurrent('extending', () => {
  it('moves both reviews’ deadlines: the old reminder, escalation and expiry never come', async ({
    expect,
  }) => {
    const created = await flow.create({
      periods: { review: 'PT12S', reminderBefore: 'PT3S', escalationGrace: 'PT2S' },
    });
    const until = addDays(berlinToday(), 10);
    const byNW = await extend(created.id, who.proposerBY, {
      action: 'review',
      land: 'NW',
      until,
      reason: 'Ressortabstimmung in NRW dauert an.',
    });
    expect(byNW.status).toBe(200);
    const byBY = await extend(created.id, who.cabinetBY, {
      action: 'review',
      land: 'BY',
      until,
      reason: 'Kabinett tagt erst danach.',
    });
    expect(byBY.status).toBe(200);
    const extended = byBY.body;
    for (const land of ['BY', 'NW']) {
      // 24:00 Berlin of `until`, or of the next working day at the seat (§ 193)
      expect(lastDayOf(reviewDue(extended, land)) >= until).toBe(true);
      expect(lastDayOf(reviewDue(extended, land)) <= addDays(until, 4)).toBe(true);
      expect(extended.pendingActions).toContainEqual({
        action: 'review',
        land,
        role: 'reviewer',
        dueAt: reviewDue(extended, land),
      });
    }
    const events = (await historyOf(harness, created.id, who.viewer)).filter(
      (e) => e.type === 'deadline_extended',
    );
    expect(events.map((e) => [e.actor.role, e.data.land, e.data.from, e.data.until, e.data.reason])).toEqual([
      ['proposer', 'NW', lastDayOf(reviewDue(created, 'NW')), until, 'Ressortabstimmung in NRW dauert an.'],
      ['cabinet', 'BY', lastDayOf(reviewDue(created, 'BY')), until, 'Kabinett tagt erst danach.'],
    ]);

    // past the old due time and grace: nothing fired
    await sleep(Math.max(0, Date.parse(created.createdAt) + 16_000 - Date.now()));
    const later = await flow.get(created.id);
    expect(later.phase).toBe('review');
    expect(later.overdue).toBe(false);
    expect(later.version).toBe(extended.version);
    expect(await types(created.id)).toEqual(['initiative_created', 'deadline_extended', 'deadline_extended']);
  });

  it('clears overdue once no review is past its deadline any more', async ({ expect }) => {
    const created = await flow.create({
      periods: { review: 'PT2S', reminderBefore: 'PT1S', escalationGrace: 'PT1H' },
    });
    await eventually(
      () => types(created.id),
      (found) => found.filter((t) => t === 'review_escalated').length === 2,
      { timeoutMs: 20_000, what: 'both reviews escalated' },
    );
    const until = addDays(berlinToday(), 3);
    const first = await flow.command(created.id, '/extensions', who.proposerBY, {
      action: 'review',
      land: 'BY',
      until,
      reason: 'Nachfrist.',
    });
    expect(first.overdue).toBe(true); // NW is still past its deadline
    const second = await flow.command(created.id, '/extensions', who.proposerBY, {
      action: 'review',
      land: 'NW',
      until,
      reason: 'Nachfrist.',
    });
    expect(second.overdue).toBe(false);
    expect(second.phase).toBe('review');
  });

  it('moves an invitation’s answer: no no_response at the old time', async ({ expect }) => {
    const created = await flow.create({ invite: ['HE'], periods: { invitation: 'PT3S' } });
    const until = addDays(berlinToday(), 5);
    const extended = await flow.command(created.id, '/extensions', who.proposerBY, {
      action: 'respond',
      land: 'HE',
      until,
      reason: 'Hessen bittet um Aufschub.',
    });
    const invitation = extended.invitations.find((i) => i.land === 'HE');
    expect(lastDayOf(invitation?.dueAt ?? '') >= until).toBe(true);
    await sleep(5_000);
    const later = await flow.get(created.id);
    expect(later.invitations.find((i) => i.land === 'HE')?.status).toBe('pending');
    expect(later.version).toBe(extended.version);
  });

  it('moves the revision deadline (the lead Land by default)', async ({ expect }) => {
    const created = await flow.create({ periods: { revision: 'PT4S' } });
    await flow.command(created.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
    });
    const revision = await flow.command(created.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    expect(revision.phase).toBe('revision');
    const until = addDays(berlinToday(), 20);
    const extended = await flow.command(created.id, '/extensions', who.cabinetBY, {
      action: 'revise',
      until,
      reason: 'Abstimmung mit dem Ressort.',
    });
    const due = extended.pendingActions.find((a) => a.action === 'revise')?.dueAt ?? '';
    expect(lastDayOf(due) >= until).toBe(true);
    await sleep(6_000);
    expect((await flow.get(created.id)).phase).toBe('revision');
  });
});

describe('refusals: nothing changes', () => {
  it('answers 400, 403 and 409 as the issue says', async ({ expect }) => {
    const created = await flow.create({ invite: ['HE'] });
    const today = berlinToday();
    const currentLast = lastDayOf(reviewDue(created, 'NW'));
    const body = (over: Record<string, unknown>) => ({
      action: 'review',
      land: 'NW',
      until: addDays(currentLast, 7),
      reason: 'Nachfrist.',
      ...over,
    });
    const cases: [string, string, Record<string, unknown>, number, RegExp?][] = [
      ['equal to the current deadline', who.proposerBY, body({ until: currentLast }), 400, /after/],
      ['before it', who.proposerBY, body({ until: today }), 400, /after/],
      ['61 days beyond it', who.proposerBY, body({ until: addDays(currentLast, 61) }), 400, /60 days/],
      ['a review without its Land', who.proposerBY, body({ land: undefined }), 400],
      ['an unknown action', who.proposerBY, body({ action: 'cabinet' }), 400],
      ['without a reason', who.proposerBY, body({ reason: undefined }), 400],
      ['a proposer of the other partner', who.proposerNW, body({}), 403, /lead Land BY/],
      ['a cabinet of the other partner', who.cabinetNW, body({}), 403],
      ['a reviewer', who.reviewerBY, body({}), 403],
      ['a liaison', who.liaisonBY, body({}), 403],
      ['a revision that is not pending', who.proposerBY, body({ action: 'revise', land: undefined }), 409],
      ['an answer of a Land not invited', who.proposerBY, body({ action: 'respond', land: 'TH' }), 409],
    ];
    for (const [what, as, payload, status, detail] of cases) {
      const answer = await extend(
        created.id,
        as,
        JSON.parse(JSON.stringify(payload)) as Record<string, unknown>,
      );
      expect(answer.status, what).toBe(status);
      expect(answer.headers.get('content-type'), what).toMatch(/application\/problem\+json/);
      if (detail) expect(answer.body.detail, what).toMatch(detail);
    }
    // exactly 60 days is allowed
    expect((await extend(created.id, who.proposerBY, body({ until: addDays(currentLast, 60) }))).status).toBe(
      200,
    );

    // a review decided already → 409; on a closed initiative → 409
    await flow.command(created.id, '/reviews', who.reviewerNW, { decision: 'approve' });
    expect((await extend(created.id, who.proposerBY, body({}))).status).toBe(409);
    const after = await flow.get(created.id);
    await flow.command(created.id, '/withdrawal', who.proposerBY, { reason: 'Überholt.' });
    const closed = await extend(created.id, who.proposerBY, body({ land: 'BY' }));
    expect(closed.status).toBe(409);
    expect((await flow.get(created.id)).version).toBe(after.version + 1);
  });

  it('offers the extension to the lead Land’s proposer and cabinet only', async ({ expect }) => {
    const created = await flow.create();
    const allowed = async (as: string) =>
      (
        await harness.get<{ actions: string[] } | string[]>(
          `/v1/initiatives/${created.id}/allowed-actions`,
          as,
        )
      ).body;
    expect(JSON.stringify(await allowed(who.proposerBY))).toContain('extend');
    expect(JSON.stringify(await allowed(who.cabinetBY))).toContain('extend');
    expect(JSON.stringify(await allowed(who.proposerNW))).not.toContain('extend');
    await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'review');
  });
});
