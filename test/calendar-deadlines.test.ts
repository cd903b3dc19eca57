/**
 * § 193 BGB end to end: a review period of whole days whose last day is a Saturday, or a public holiday in
 * Bavaria only, ends at the end of the next working day of the Land that has to act. The expected due dates
 * are computed here from today's Berlin date with date-holidays, independently of activities/deadlines.ts.
 */
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

const DAY_MS = 86_400_000;
type Land = 'BY' | 'NW';

/** Calendar days are encoded as the UTC midnight of that date. */
function berlinToday(now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now); // YYYY-MM-DD
  return Date.parse(`${parts}T00:00:00Z`);
}
const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);
const weekday = (day: number) => new Date(day).getUTCDay();

const calendars = { BY: new Holidays('DE', 'BY'), NW: new Holidays('DE', 'NW') };
function isPublicHoliday(land: Land, day: number): boolean {
  // noon Berlin of that day, so that the calendar's time zone cannot shift the date
  const found = calendars[land].isHoliday(new Date(day + 11 * 3_600_000));
  return Array.isArray(found) && found.some((h) => h.type === 'public');
}
const isWorkingDay = (land: Land, day: number) =>
  weekday(day) !== 0 && weekday(day) !== 6 && !isPublicHoliday(land, day);

/** The UTC instant of 24:00 Berlin time at the end of `day` (= 00:00 of the next day). */
function endOfBerlinDay(day: number): string {
  const next = day + DAY_MS;
  const nextIso = isoDay(next);
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(next - offsetHours * 3_600_000);
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(candidate);
    if (local === `${nextIso}, 00:00`) return candidate.toISOString();
  }
  throw new Error(`no Berlin midnight found after ${isoDay(day)}`);
}

/** Where a period whose last day is `lastDay` ends for `land` (§ 193 BGB), as the spec defines it. */
function expectedDue(land: Land, lastDay: number): string {
  let day = lastDay;
  while (!isWorkingDay(land, day)) day += DAY_MS;
  return endOfBerlinDay(day);
}

/** Creates with `P<days>D`; retries if Berlin's date changed while creating (a run around midnight). */
async function createWithReviewDays(days: (today: number) => number): Promise<{
  initiative: Initiative;
  today: number;
  period: string;
}> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const today = berlinToday();
    const period = `P${days(today)}D`;
    const response = await harness.post(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ periods: { review: period } }),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    if (berlinToday() === today) return { initiative: response.body, today, period };
  }
  throw new Error('Berlin date kept changing');
}

const dueOf = (initiative: Initiative, land: Land) => ({
  review: initiative.reviews.find((r) => r.land === land)?.dueAt,
  action: initiative.pendingActions.find((a) => a.action === 'review' && a.land === land)?.dueAt,
});

describe('§ 193 BGB on the review deadline', () => {
  it('a last day on a Saturday ends on the following Monday at 24:00 Berlin (or later on a holiday)', async () => {
    const daysToSaturday = (today: number) => (6 - weekday(today) + 7) % 7 || 7;
    const { initiative, today, period } = await createWithReviewDays(daysToSaturday);
    const saturday = today + daysToSaturday(today) * DAY_MS;
    expect(weekday(saturday)).toBe(6);
    expect(initiative.periods.review).toBe(period);

    for (const land of ['BY', 'NW'] as const) {
      const expected = expectedDue(land, saturday);
      // the roll-over happened: at least Monday 24:00, never Saturday 24:00
      expect(Date.parse(expected)).toBeGreaterThanOrEqual(Date.parse(endOfBerlinDay(saturday + 2 * DAY_MS)));
      expect(expected).not.toBe(endOfBerlinDay(saturday));
      expect(dueOf(initiative, land), `${land}, ${period} from ${isoDay(today)}`).toEqual({
        review: expected,
        action: expected,
      });
    }
    // Berlin midnight is 23:00Z in winter and 22:00Z in summer
    expect(dueOf(initiative, 'BY').review).toMatch(/T2[23]:00:00\.000Z$/);

    const read = await harness.get<Initiative>(`/v1/initiatives/${initiative.id}`, who.viewer);
    expect(dueOf(read.body, 'BY').review).toBe(expectedDue('BY', saturday));
  });

  it('a Bavarian-only public holiday on a weekday rolls over for BY but not for NW', async () => {
    const findHoliday = (today: number) => {
      for (let n = 1; n <= 400; n++) {
        const day = today + n * DAY_MS;
        if (isPublicHoliday('BY', day) && isWorkingDay('NW', day)) return n;
      }
      throw new Error('no Bavarian-only weekday holiday within 400 days');
    };
    const { initiative, today, period } = await createWithReviewDays(findHoliday);
    const holiday = today + findHoliday(today) * DAY_MS;
    expect(isWorkingDay('BY', holiday)).toBe(false);
    expect(isWorkingDay('NW', holiday)).toBe(true);

    const by = expectedDue('BY', holiday);
    const nw = expectedDue('NW', holiday);
    expect(nw).toBe(endOfBerlinDay(holiday));
    expect(Date.parse(by)).toBeGreaterThanOrEqual(Date.parse(endOfBerlinDay(holiday + DAY_MS)));

    const context = `${period} from ${isoDay(today)}, last day ${isoDay(holiday)}`;
    expect(dueOf(initiative, 'BY'), `BY, ${context}`).toEqual({ review: by, action: by });
    expect(dueOf(initiative, 'NW'), `NW, ${context}`).toEqual({ review: nw, action: nw });
  });
});
