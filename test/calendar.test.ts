/**
 * The plenary calendar: the shipped default (data, provisional, with its source), who may replace it,
 * what a consistent calendar is, and that sessions open initiatives are booked on stay put.
 * The first test must run before any PUT in this file.
 */
import { describe, expect, it } from 'vitest';
import { expectStatus, type Problem, type Session, useHarness } from './kit/index.js';

const harness = useHarness();
const { who, flow } = harness;

const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

describe('the shipped calendar', () => {
  it('GET answers the default: sessions 1061..1082, every one provisional with a source, on Fridays', async () => {
    const sessions = await flow.calendar();
    expect(sessions).toHaveLength(22);
    expect(sessions.map((s) => s.number)).toEqual(Array.from({ length: 22 }, (_, i) => 1061 + i));
    expect(sessions[0]?.date).toBe('2026-01-30');
    expect(sessions.at(-1)?.date).toBe('2027-12-17');
    for (const session of sessions) {
      expect(session.provisional, `${session.number}`).toBe(true);
      expect(session.source.trim().length, `${session.number}`).toBeGreaterThan(0);
      expect(weekday(session.date), `${session.number} on ${session.date}`).toBe(5);
    }
    const dates = sessions.map((s) => s.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(22);

    // every principal reads it; without a token → 401
    for (const as of [who.reviewerHE, who.cabinetSN, who.proposerBY]) {
      const response = await harness.get<Session[]>('/v1/bundesrat/sessions', as);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(sessions);
    }
    expect((await harness.get('/v1/bundesrat/sessions')).status).toBe(401);
  });
});

describe('replacing the calendar', () => {
  const week = (number: number, date: string, extra: Partial<Session> = {}): Session => ({
    number,
    date,
    source: 'test calendar',
    ...extra,
  });

  it('only an admin replaces it (403 for everyone else); the calendar stays as it was', async () => {
    const before = await flow.calendar();
    const calendar = [week(1, '2019-02-15')];
    for (const as of [who.proposerBY, who.reviewerNW, who.cabinetBY, who.liaisonBY, who.viewer]) {
      const response = await flow.putCalendar(calendar, as);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await flow.calendar()).toEqual(before);
  });

  it('refuses inconsistent calendars (400) with the offending entries named', async () => {
    const before = await flow.calendar();
    const duplicate = await flow.putCalendar([
      week(974, '2019-02-15'),
      week(975, '2019-03-15'),
      week(975, '2019-04-12'),
    ]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors).toContainEqual({
      path: 'body/2/number',
      message: 'session 975 appears twice',
    });

    const descending = await flow.putCalendar([week(974, '2019-03-15'), week(975, '2019-02-15')]);
    expect(descending.status).toBe(400);
    expect(descending.body.errors).toEqual([
      { path: 'body/1/date', message: 'must come after 2019-03-15 (dates ascending)' },
    ]);

    const sameDay = await flow.putCalendar([week(974, '2019-03-15'), week(975, '2019-03-15')]);
    expect(sameDay.status).toBe(400);
    expect(sameDay.body.errors?.map((e) => e.path)).toEqual(['body/1/date']);

    const malformed = await harness.request<Problem>('PUT', '/v1/bundesrat/sessions', {
      token: who.admin,
      body: [
        { number: 974, date: '15.02.2019', source: 'x' },
        { number: 975, date: '2019-03-15' },
      ],
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.path).sort()).toEqual(['body/0/date', 'body/1/source']);

    expect(await flow.calendar()).toEqual(before);
  });

  it('accepts a session on another weekday than Friday (a special session); provisional defaults to false', async () => {
    const calendar = [
      week(974, '2019-02-15'),
      week(975, '2019-03-14'), // a Thursday
      week(976, '2019-04-12', { provisional: true }),
    ];
    const response = await flow.putCalendar(calendar);
    expect(response.status).toBe(200);
    const expected = [
      { number: 974, date: '2019-02-15', provisional: false, source: 'test calendar' },
      { number: 975, date: '2019-03-14', provisional: false, source: 'test calendar' },
      { number: 976, date: '2019-04-12', provisional: true, source: 'test calendar' },
    ];
    expect(response.body).toEqual(expected);
    expect(await flow.calendar()).toEqual(expected);
  });

  it('refuses (409) to move or drop a session an open initiative is booked on; keeping it is fine', async () => {
    const calendar = [
      week(974, '2019-02-15'),
      week(975, '2019-03-15'),
      week(976, '2019-04-12'),
      week(977, '2019-05-17'),
    ];
    expectStatus(await flow.putCalendar(calendar), 200);
    const motion = await flow.toBundesrat();
    const submitted = expectStatus(
      await flow.submit(motion.id, { submittedOn: '2019-03-20', procedure: 'committee' }),
      200,
    );
    expect(submitted.bundesrat?.plenarySession).toEqual({ number: 976, date: '2019-04-12' });

    const attempts: Record<string, Session[]> = {
      'moved to another date': [week(974, '2019-02-15'), week(975, '2019-03-15'), week(976, '2019-04-11')],
      dropped: [week(974, '2019-02-15'), week(975, '2019-03-15'), week(977, '2019-05-17')],
      renumbered: [week(974, '2019-02-15'), week(975, '2019-03-15'), week(980, '2019-04-12')],
      emptied: [],
    };
    for (const [what, sessions] of Object.entries(attempts)) {
      const refused = await flow.putCalendar(sessions);
      expect(refused.status, what).toBe(409);
      expect(refused.body.detail, what).toContain(`${motion.id} on session 976 (2019-04-12)`);
      expect(await flow.calendar(), what).toEqual(calendar.map((s) => ({ ...s, provisional: false })));
    }

    // keeping 976 on 2019-04-12 (even with another source, now final) while changing everything else: 200
    const kept = [
      week(975, '2019-03-22'),
      week(976, '2019-04-12', { provisional: true, source: 'Bundesrat, Plenarsitzungstermine 2019' }),
      week(978, '2019-06-07'),
    ];
    const accepted = await flow.putCalendar(kept);
    expect(accepted.status).toBe(200);
    expect(accepted.body.map((s) => s.number)).toEqual([975, 976, 978]);
    expect((await flow.get(motion.id)).bundesrat?.plenarySession).toEqual({
      number: 976,
      date: '2019-04-12',
    });

    // once the initiative is closed, its session may go
    await flow.command(motion.id, '/withdrawal', who.proposerBY, { reason: 'Kalendertest beendet.' });
    expect((await flow.putCalendar([week(978, '2019-06-07')])).status).toBe(200);
    expect((await flow.calendar()).map((s) => s.number)).toEqual([978]);
  });
});
