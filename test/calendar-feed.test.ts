/**
 * The personal calendar feed (docs/calendar-feed.md): a secret URL per person, stored hashed, rotated by a
 * new POST and revoked by DELETE (then 404); the feed, parsed with ical.js (another library than the
 * ical-generator that writes it), holds the person's open actions on their last day and the booked
 * Bundesrat sessions.
 */
import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { calendarFeeds } from '../db/schema.js';
import { expectAnswer, newInitiative, SESSIONS_2019, useHarness } from './kit/index.js';

const harness = useHarness({ calendar: SESSIONS_2019 });
const { who, flow } = harness;

interface Entry {
  uid: string;
  summary: string;
  date: string;
  allDay: boolean;
  url: string | undefined;
}

async function feed(url: string): Promise<{ status: number; type: string | null; entries: Entry[] }> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, type: null, entries: [] };
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const entries = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      date: event.startDate.toString(),
      allDay: event.startDate.isDate,
      url: component.getFirstPropertyValue('url')?.toString(),
    };
  });
  return { status: 200, type: response.headers.get('content-type'), entries };
}

async function newFeed(as: string): Promise<string> {
  const created = await harness.post<{ url: string }>('/v1/me/calendar-feed', as, {});
  expect(created.status).toBe(201);
  return created.body.url;
}

describe('the calendar feed', () => {
  it('lists the open actions with a due date, on their last day, for those who may perform them', async () => {
    const url = await newFeed(who.reviewerNW);
    expect(url).toMatch(new RegExp(`^${harness.baseUrl}/v1/calendar-feeds/[A-Za-z0-9_-]{43}\\.ics$`));
    const created = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ title: 'Kalender' }),
    );
    const id = created.body.id;
    const review = (created.body.pendingActions as { action: string; land: string; dueAt: string }[]).find(
      (action) => action.land === 'NW',
    );
    expect(review?.dueAt).toBeTruthy();
    const answer = await feed(url);
    expect(answer.type).toContain('text/calendar');
    const entry = answer.entries.find((candidate) => candidate.summary.includes(id));
    expect(entry).toMatchObject({ allDay: true, summary: `Frist: Prüfung – Kalender (${id})` });
    // Due at midnight in Berlin: the last day is the day before.
    const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
      new Date(Date.parse(review?.dueAt ?? '') - 1),
    );
    expect(entry?.date).toBe(lastDay);
    expect(entry?.url).toBe(`${harness.baseUrl}/#/initiatives/${id}`);
    // The proposer has no review to do: not in their feed.
    const proposers = await feed(await newFeed(who.proposerBY));
    expect(proposers.entries.filter((candidate) => candidate.summary.includes(id))).toEqual([]);
  });

  it('lists the booked Bundesrat sessions of the initiatives the person may read', async () => {
    const motion = await flow.toBundesrat({ title: 'Plenum' });
    const submitted = await flow.submit(motion.id, { submittedOn: '2019-03-01', procedure: 'committee' });
    expect(submitted.status).toBe(200);
    await expectAnswer(flow, motion, submitted.body, { timersMayFire: true });
    const url = await newFeed(who.reviewerHE);
    const entries = (await feed(url)).entries.filter((entry) => entry.summary.includes(motion.id));
    expect(entries).toEqual([
      expect.objectContaining({
        date: '2019-03-15',
        allDay: true,
        summary: `Bundesrat, 975. Sitzung: Plenum (${motion.id})`,
      }),
    ]);
  });

  it('is stored only hashed, rotates with a new POST and answers 404 once revoked or unknown', async () => {
    const first = await newFeed(who.reviewerBY);
    const token = /([A-Za-z0-9_-]{43})\.ics$/.exec(first)?.[1] ?? '';
    const rows = await harness.database.db.select().from(calendarFeeds).where(eq(calendarFeeds.sub, 'r-by'));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await feed(first)).status).toBe(200);
    const second = await newFeed(who.reviewerBY);
    expect(second).not.toBe(first);
    expect((await feed(first)).status).toBe(404);
    expect((await feed(second)).status).toBe(200);
    const revoked = await harness.request('DELETE', '/v1/me/calendar-feed', { token: who.reviewerBY });
    expect(revoked.status).toBe(204);
    const gone = await fetch(second);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
    expect((await harness.request('DELETE', '/v1/me/calendar-feed', { token: who.reviewerBY })).status).toBe(
      404,
    );
    for (const file of ['nope.ics', `${'A'.repeat(43)}.ics`, `${token}`])
      expect((await fetch(`${harness.baseUrl}/v1/calendar-feeds/${file}`)).status, file).toBe(404);
    expect((await harness.request('POST', '/v1/me/calendar-feed', { body: {} })).status).toBe(401);
  });
});
