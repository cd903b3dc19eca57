/**
 * The inbox (GET /v1/tasks): each principal's open actions across initiatives in several phases, by role
 * and Land, without what the caller would be refused (four-eyes, someone else's revision); soonest due
 * first; overdue after an escalation; gone once acted on. Served from PostgreSQL, so it is checked here
 * only through the API (and, for the stored overdue flag, by looking at the table).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pendingActions } from '../db/schema.js';
import type { Initiative } from '../workflows/contracts.js';
import type { Land, Role } from '../workflows/domain.js';
import {
  expectStatus,
  Flow,
  type People,
  SESSIONS_2019,
  token,
  useHarness,
  waitForInitiative,
} from './kit/index.js';

interface Task {
  initiativeId: string;
  title: string;
  action: string;
  land: Land;
  role: Role;
  dueAt: string | null;
  overdue: boolean;
}

const harness = useHarness({ calendar: SESSIONS_2019 });
/** The cast, the BY proposer (same sub) who is also a reviewer of BY, and an admin of BY who is a liaison. */
const who = harness.who as People & { proposerReviewerBY: string; adminBY: string };
const flow = new Flow(harness, who);

/** The initiatives every test looks at, by what they stand for. */
const the: Record<
  | 'long'
  | 'short'
  | 'nwLed'
  | 'invitesHE'
  | 'shortest'
  | 'revision'
  | 'adopted'
  | 'cabinet'
  | 'bundesrat'
  | 'unbooked',
  Initiative
> = {} as never;

async function tasks(as: string): Promise<Task[]> {
  return expectStatus(await harness.get<{ items: Task[] }>('/v1/tasks', as), 200, 'GET /v1/tasks').items;
}
/** The inbox as `initiativeId action land role`, in the order served. */
const summary = async (as: string) =>
  (await tasks(as)).map((t) => `${t.initiativeId} ${t.action} ${t.land} ${t.role}`);
const line = (initiative: Initiative, action: string, land: Land, role: Role) =>
  `${initiative.id} ${action} ${land} ${role}`;
const dueOf = (initiative: Initiative, land: Land) =>
  initiative.reviews.find((r) => r.land === land)?.dueAt ?? null;

beforeAll(async () => {
  Object.assign(who, {
    // The BY proposer (same sub) who is also a reviewer of BY.
    proposerReviewerBY: await token({
      sub: 'p-by',
      name: 'A. Huber',
      land: 'BY',
      roles: ['proposer', 'reviewer'],
    }),
    adminBY: await token({ sub: 'a-by', land: 'BY', roles: ['admin', 'liaison'] }),
  });

  // Created one after another, so that references (the tie-break) follow this order.
  the.long = await flow.create({ title: 'Lange Prüffrist' }); // default review period P14D
  the.short = await flow.create({ title: 'Kurze Prüffrist', periods: { review: 'P2D' } });
  the.nwLed = await flow.create({ title: 'NRW-Vorhaben', periods: { review: 'P7D' } }, who.proposerNW);
  the.invitesHE = await flow.create({ title: 'Mit Hessen', invite: ['HE'] }); // P14D, as `long`
  the.shortest = await flow.create({
    title: 'Sekundenfrist',
    periods: { review: 'PT3S', reminderBefore: 'PT1S', escalationGrace: 'PT10M' },
  });
  the.revision = await flow.create({ title: 'Wird überarbeitet' });
  await flow.command(the.revision.id, '/reviews', who.reviewerNW, {
    decision: 'request_changes',
    comment: 'Bitte Kosten ergänzen.',
  });
  the.revision = await flow.command(the.revision.id, '/reviews', who.reviewerBY, { decision: 'approve' });
  expect(the.revision.phase).toBe('revision');
  the.adopted = await flow.create({ title: 'Schon beschlossen' });
  the.adopted = await flow.approveBoth(the.adopted.id);
  expect(the.adopted.phase).toBe('adopted');
  the.cabinet = await flow.toCabinet({ title: 'Im Kabinett' });
  the.bundesrat = await flow.toBundesrat({ title: 'Im Bundesrat' });
  // Submitted for the calendar's last session and postponed there: no session left, the admin must act.
  const unbooked = await flow.toBundesrat({ title: 'Ohne Sitzung' });
  expectStatus(await flow.submit(unbooked.id, { submittedOn: '2019-12-06', procedure: 'immediate' }), 200);
  the.unbooked = await flow.command(unbooked.id, '/bundesrat/decision', who.liaisonBY, {
    decision: 'postponed',
    decidedOn: '2019-12-20',
  });
  expect(the.unbooked.bundesrat?.plenarySession).toBeNull();
});

describe('what each principal sees', () => {
  it("the NW reviewer: every pending NW review, soonest due first, not BY's and not decided ones", async () => {
    const items = await tasks(who.reviewerNW);
    // shortest (seconds) < short (P2D) < nwLed (P7D) < long = invitesHE (P14D, by reference)
    expect(items.map((t) => `${t.initiativeId} ${t.action} ${t.land} ${t.role}`)).toEqual([
      line(the.shortest, 'review', 'NW', 'reviewer'),
      line(the.short, 'review', 'NW', 'reviewer'),
      line(the.nwLed, 'review', 'NW', 'reviewer'),
      line(the.long, 'review', 'NW', 'reviewer'),
      line(the.invitesHE, 'review', 'NW', 'reviewer'),
    ]);
    const dues = items.map((t) => t.dueAt);
    expect(dues.every((d) => d !== null)).toBe(true);
    expect([...dues].sort()).toEqual(dues);
    expect(items[1]).toEqual({
      initiativeId: the.short.id,
      title: 'Kurze Prüffrist',
      action: 'review',
      land: 'NW',
      role: 'reviewer',
      dueAt: dueOf(the.short, 'NW'),
      overdue: false,
    });
    expect(items[3]?.dueAt).toBe(dueOf(the.long, 'NW'));
    expect(items[3]?.dueAt).toBe(items[4]?.dueAt);
  });

  it("the BY reviewer sees BY's reviews, including the NW-led one", async () => {
    expect(await summary(who.reviewerBY)).toEqual([
      line(the.shortest, 'review', 'BY', 'reviewer'),
      line(the.short, 'review', 'BY', 'reviewer'),
      line(the.nwLed, 'review', 'BY', 'reviewer'),
      line(the.long, 'review', 'BY', 'reviewer'),
      line(the.invitesHE, 'review', 'BY', 'reviewer'),
    ]);
  });

  it('the proposer sees their own revision; another BY proposer and the NW proposer do not', async () => {
    const items = await tasks(who.proposerBY);
    expect(items).toEqual([
      {
        initiativeId: the.revision.id,
        title: 'Wird überarbeitet',
        action: 'revise',
        land: 'BY',
        role: 'proposer',
        dueAt: expect.any(String) as unknown,
        overdue: false,
      },
    ]);
    expect(Date.parse(items[0]?.dueAt ?? '') - Date.now()).toBeGreaterThan(25 * 86_400_000); // P30D
    expect(await tasks(who.proposerBY2)).toEqual([]);
    expect(await tasks(who.proposerNW)).toEqual([]);
  });

  it('a reviewer who proposed (same sub) does not see the reviews of their own initiatives (four-eyes)', async () => {
    // Of BY's pending reviews only the NW-led initiative's remains, and their own revision.
    expect(await summary(who.proposerReviewerBY)).toEqual([
      line(the.nwLed, 'review', 'BY', 'reviewer'),
      line(the.revision, 'revise', 'BY', 'proposer'),
    ]);
  });

  it("the HE reviewer sees HE's invitation to answer", async () => {
    const items = await tasks(who.reviewerHE);
    expect(items).toEqual([
      {
        initiativeId: the.invitesHE.id,
        title: 'Mit Hessen',
        action: 'respond',
        land: 'HE',
        role: 'reviewer',
        dueAt: the.invitesHE.invitations[0]?.dueAt,
        overdue: false,
      },
    ]);
    expect(await tasks(await flow.reviewerOf('TH'))).toEqual([]);
  });

  it('the cabinets of BY and NW see the cabinet decision; a third Land does not', async () => {
    expect(await summary(who.cabinetBY)).toEqual([line(the.cabinet, 'cabinet', 'BY', 'cabinet')]);
    expect(await summary(who.cabinetNW)).toEqual([line(the.cabinet, 'cabinet', 'NW', 'cabinet')]);
    expect(await tasks(who.cabinetHE)).toEqual([]);
  });

  it('the BY liaison sees the submission and the pending decision; the NW liaison nothing', async () => {
    const items = await tasks(who.liaisonBY);
    // undated actions: by reference
    expect(items.map((t) => `${t.initiativeId} ${t.action} ${t.land} ${t.role}`)).toEqual([
      line(the.bundesrat, 'submit', 'BY', 'liaison'),
      line(the.unbooked, 'decide', 'BY', 'liaison'),
    ]);
    expect(items.map((t) => t.dueAt)).toEqual([null, null]);
    expect(items[0]?.title).toBe('Im Bundesrat');
    expect(await tasks(who.liaisonNW)).toEqual([]);
  });

  it('admins see every calendar action, whatever their Land; viewers see nothing', async () => {
    expect(await summary(who.admin)).toEqual([line(the.unbooked, 'calendar', 'BY', 'admin')]);
    // a BY admin who is also liaison: the calendar action once, next to the liaison's actions
    expect(await summary(who.adminBY)).toEqual([
      line(the.bundesrat, 'submit', 'BY', 'liaison'),
      line(the.unbooked, 'calendar', 'BY', 'admin'),
      line(the.unbooked, 'decide', 'BY', 'liaison'),
    ]);
    expect(await tasks(who.viewer)).toEqual([]);
  });

  it('answers 401 without a token and honours If-None-Match', async () => {
    expect((await harness.get('/v1/tasks')).status).toBe(401);
    const first = await harness.get('/v1/tasks', who.cabinetNW);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await harness.get('/v1/tasks', who.cabinetNW, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
  });
});

describe('as things move on', () => {
  it('marks an action overdue once its review round escalated', async () => {
    const escalated = await waitForInitiative(harness, the.shortest.id, who.viewer, (i) => i.overdue, {
      timeoutMs: 20_000,
      what: 'overdue after escalation',
    });
    expect(escalated.phase).toBe('review');
    for (const [as, land] of [
      [who.reviewerNW, 'NW'],
      [who.reviewerBY, 'BY'],
    ] as const) {
      const items = await tasks(as);
      expect(items[0]).toMatchObject({ initiativeId: the.shortest.id, land, overdue: true });
      // the others are not overdue
      expect(items.slice(1).every((t) => !t.overdue)).toBe(true);
    }
    // the stored flag, not only the passed due time
    const stored = await harness.database.db
      .select({ overdue: pendingActions.overdue })
      .from(pendingActions)
      .where(eq(pendingActions.initiativeId, the.shortest.id));
    expect(stored).toEqual([{ overdue: true }, { overdue: true }]);
  });

  it('a withdrawn initiative leaves no actions behind', async () => {
    const created = await flow.create({ title: 'Zurückgezogen' });
    expect((await tasks(who.reviewerNW)).some((t) => t.initiativeId === created.id)).toBe(true);
    await flow.command(created.id, '/withdrawal', who.proposerBY, { reason: 'erledigt' });
    expect((await tasks(who.reviewerNW)).some((t) => t.initiativeId === created.id)).toBe(false);
    expect((await tasks(who.reviewerBY)).some((t) => t.initiativeId === created.id)).toBe(false);
  });

  it('?ressort= keeps the actions on initiatives that Ressort leads; an unknown key is a 400', async () => {
    const stmd = await flow.create({ title: 'Vom Digitalministerium' }, who.proposerStMD);
    const stmi = await flow.create({ title: 'Vom Innenministerium' }, who.proposerStMI);
    const only = async (as: string, query: string) =>
      expectStatus(
        await harness.get<{ items: Task[] }>(`/v1/tasks?${query}`, as),
        200,
        `GET /v1/tasks?${query}`,
      ).items.map((t) => `${t.initiativeId} ${t.action} ${t.land} ${t.role}`);
    expect(await only(who.reviewerNW, 'ressort=StMD')).toEqual([line(stmd, 'review', 'NW', 'reviewer')]);
    expect(await only(who.reviewerNW, 'ressort=StMI')).toEqual([line(stmi, 'review', 'NW', 'reviewer')]);
    expect(await only(who.reviewerBY, 'ressort=StMD')).toEqual([line(stmd, 'review', 'BY', 'reviewer')]);
    // a Ressort that leads nothing, and a Land's filter that the caller's own inbox does not reach
    expect(await only(who.reviewerNW, 'ressort=StK')).toEqual([]);
    expect(await only(who.reviewerHE, 'ressort=StMD')).toEqual([]);
    // without the filter both are there among the rest
    const all = await summary(who.reviewerNW);
    expect(all).toEqual(
      expect.arrayContaining([
        line(stmd, 'review', 'NW', 'reviewer'),
        line(stmi, 'review', 'NW', 'reviewer'),
      ]),
    );
    expect(all.length).toBeGreaterThan(2);
    for (const bad of ['Nope', 'stmd', '']) {
      const response = await harness.get(`/v1/tasks?ressort=${bad}`, who.reviewerNW);
      expect(response.status, bad).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    // leave the other tests' inboxes as they were
    await flow.command(stmd.id, '/withdrawal', who.proposerStMD, { reason: 'erledigt' });
    await flow.command(stmi.id, '/withdrawal', who.proposerStMI, { reason: 'erledigt' });
    expect(await only(who.reviewerNW, 'ressort=StMD')).toEqual([]);
  });

  it('items disappear once acted on', async () => {
    // NW decides the short one: gone from NW's inbox, still in BY's
    await flow.command(the.short.id, '/reviews', who.reviewerNW, { decision: 'approve' });
    expect(await summary(who.reviewerNW)).not.toContain(line(the.short, 'review', 'NW', 'reviewer'));
    expect(await summary(who.reviewerBY)).toContain(line(the.short, 'review', 'BY', 'reviewer'));

    // HE answers its invitation
    await flow.command(the.invitesHE.id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
    expect(await tasks(who.reviewerHE)).toEqual([]);

    // BY's cabinet decides: NW's decision is still open
    await flow.command(the.cabinet.id, '/cabinet-decisions', who.cabinetBY, {
      decision: 'approve',
      decidedOn: '2019-01-15',
    });
    expect(await tasks(who.cabinetBY)).toEqual([]);
    expect(await summary(who.cabinetNW)).toEqual([line(the.cabinet, 'cabinet', 'NW', 'cabinet')]);

    // the liaison submits: `submit` becomes `decide` (immediate procedure)
    expectStatus(
      await flow.submit(the.bundesrat.id, { submittedOn: '2019-05-01', procedure: 'immediate' }),
      200,
    );
    // booked on 2019-05-17: the decision reminder's due time has long passed, so the action is overdue
    // although the initiative is not (overdue is a review-round flag); dated, it comes first
    const liaison = await tasks(who.liaisonBY);
    expect(liaison.map((t) => `${t.initiativeId} ${t.action} ${t.land} ${t.role}`)).toEqual([
      line(the.bundesrat, 'decide', 'BY', 'liaison'),
      line(the.unbooked, 'decide', 'BY', 'liaison'),
    ]);
    expect(liaison[0]?.dueAt?.startsWith('2019-05')).toBe(true);
    expect(liaison[0]?.overdue).toBe(true);
    expect((await flow.get(the.bundesrat.id)).overdue).toBe(false);

    // the proposer revises: their `revise` is gone, a new round asks both reviewers (title as revised)
    await flow.command(the.revision.id, '/revisions', who.proposerBY, {
      title: 'Überarbeitet',
      comment: 'Kosten ergänzt.',
    });
    expect(await tasks(who.proposerBY)).toEqual([]);
    const nw = (await tasks(who.reviewerNW)).find((t) => t.initiativeId === the.revision.id);
    expect(nw).toMatchObject({ action: 'review', title: 'Überarbeitet', overdue: false });
    expect((await tasks(who.reviewerBY)).some((t) => t.initiativeId === the.revision.id)).toBe(true);
    // the proposing reviewer still does not see it
    expect((await tasks(who.proposerReviewerBY)).some((t) => t.initiativeId === the.revision.id)).toBe(false);
  });
});
