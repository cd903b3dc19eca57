/**
 * The deadline rule of docs/domain.md#deadlines: a period of whole days ends at 24:00 Europe/Berlin on its
 * last day; when that day is a Saturday, a Sunday or a public holiday at the seat of the body that has to
 * act, it ends at the end of the next working day (§ 193 BGB). Periods shorter than a day are exact.
 *
 * Pure functions, and the local activity `computeDeadlines` over them; the only state is a cache of
 * holiday calendars per seat and year.
 *
 * Which periods are accepted, and their parsing, is `lib/periods.ts`. Choices beyond the spec:
 * - A period with days *and* a non-zero time part (`P1DT2H`) is not a period of whole days, so it is exact:
 *   `from` plus its total length, without the § 193 roll-over.
 * - Instants must carry an explicit offset (`Z` or `±hh:mm`), so the host's time zone never matters.
 */
import Holidays from 'date-holidays';
import { DAY_MS, parseDuration } from '../lib/periods.js';
import type { DeadlineRequest } from '../workflows/contracts.js';
import type { Land } from '../workflows/domain.js';
import type { ComputedDeadline } from '../workflows/lifecycle/frame.js';

const TIME_ZONE = 'Europe/Berlin';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function createDeadlineActivities() {
  return {
    /** Due dates for periods that start now, by docs/domain.md's deadline rule for the Land that has to act. */
    computeDeadlines({
      from,
      requests,
    }: {
      from: string;
      requests: DeadlineRequest[];
    }): Promise<ComputedDeadline[]> {
      return Promise.resolve(
        requests.map((request) => {
          const seat = seatOf(request);
          const dueAt =
            request.until === undefined
              ? deadlineAfter(request.from ?? from, request.period, seat)
              : endOfDay(request.until, seat);
          const result: ComputedDeadline = { dueAt };
          if (request.reminderBefore) result.remindAt = instantBefore(dueAt, request.reminderBefore);
          if (request.escalationGrace) result.expireAt = graceAfter(dueAt, request.escalationGrace, seat);
          return result;
        }),
      );
    },
  };
}

/**
 * Where the body that has to act sits, whose public holidays § 193 BGB counts (docs/domain.md#deadlines):
 * a Land's government in its capital (Munich for BY, where 15 August is a holiday; Düsseldorf for NW);
 * the liaison's Bundesrat actions in Berlin.
 */
export interface Seat {
  land: Land;
  /** A region of `date-holidays` within the Land, where the capital's holidays differ from the Land's. */
  region?: string;
}

/** The capitals' regions where `date-holidays` distinguishes them; every other capital has the Land's holidays. */
const CAPITAL_REGIONS: Partial<Record<Land, string>> = {
  // Munich is a predominantly Catholic municipality: Mariä Himmelfahrt (15 August) is a public holiday there.
  BY: 'KATH',
};

export function seatOf(request: Pick<DeadlineRequest, 'kind' | 'land'>): Seat {
  if (request.kind === 'plenary') return { land: 'BE' };
  const region = CAPITAL_REGIONS[request.land];
  return region === undefined ? { land: request.land } : { land: request.land, region };
}

const asSeat = (where: Land | Seat): Seat => (typeof where === 'string' ? { land: where } : where);

/**
 * The end of the grace period after a deadline: counted like any period from the day the deadline ended
 * (§ 187(1), § 188(1) BGB), so a deadline at the end of Monday 16.03 with `P7D` gives the end of Monday 23.03.
 * A grace with a time part is exact from the deadline's instant.
 */
export function graceAfter(dueAtIso: string, grace: string, where: Land | Seat): string {
  const due = parseInstant(dueAtIso);
  const { milliseconds } = parseDuration(grace);
  if (milliseconds !== 0) return deadlineAfter(dueAtIso, grace, where);
  // The deadline's instant is 24:00 of its last day; one millisecond earlier lies on that day.
  return deadlineAfter(new Date(due - 1).toISOString(), grace, where);
}

/** 24:00 Europe/Berlin of the calendar date `date`, rolled over by § 193 BGB at the seat. */
export function endOfDay(date: string, where: Land | Seat): string {
  // Noon UTC lies inside the Berlin day; a period of zero days would be refused, so count from the day before.
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const before = new Date(Date.UTC(year, month - 1, day - 1, 12)).toISOString();
  return deadlineAfter(before, 'P1D', where);
}

/**
 * The end of `period` started at `fromIso`, for the Land that has to act, as a UTC ISO timestamp.
 * Whole days end at 24:00 Berlin time of the last day, rolled over Saturdays, Sundays and public holidays
 * of that Land; anything with a time part is exact.
 */
export function deadlineAfter(fromIso: string, period: string, where: Land | Seat): string {
  const seat = asSeat(where);
  const from = parseInstant(fromIso);
  const { days, milliseconds } = parseDuration(period);
  if (milliseconds !== 0) return new Date(from + days * DAY_MS + milliseconds).toISOString();

  const start = berlinParts(from);
  let lastDay = Date.UTC(start.year, start.month - 1, start.day + days); // a calendar date, as UTC midnight
  while (!isWorkingDay(lastDay, seat)) lastDay += DAY_MS;
  const next = new Date(lastDay + DAY_MS);
  return new Date(
    berlinToUtc({
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    }),
  ).toISOString();
}

/**
 * The instant `period` before `deadlineIso`, for reminders: whole days go back that many calendar days in
 * Berlin keeping the Berlin time of day (so across a DST change, not a multiple of 24 h); anything with a
 * time part is exact. No holiday roll-over.
 */
export function instantBefore(deadlineIso: string, period: string): string {
  const deadline = parseInstant(deadlineIso);
  const { days, milliseconds } = parseDuration(period);
  if (milliseconds !== 0) return new Date(deadline - days * DAY_MS - milliseconds).toISOString();

  const local = berlinParts(deadline);
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day - days));
  return new Date(
    berlinToUtc({
      ...local,
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    }),
  ).toISOString();
}

function parseInstant(iso: string): number {
  const t = INSTANT.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) {
    throw new RangeError(`Invalid instant "${iso}": expected an ISO 8601 timestamp with Z or an offset`);
  }
  return t;
}

interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const berlinFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The Berlin wall-clock reading of a UTC instant. */
function berlinParts(utcMs: number): LocalDateTime {
  const parts = berlinFormat.formatToParts(utcMs);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
    millisecond: ((utcMs % 1000) + 1000) % 1000,
  };
}

const asUtc = (l: LocalDateTime): number =>
  Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);

/**
 * The UTC instant of a Berlin wall-clock reading. The offset is taken at the naive guess and corrected once,
 * which is exact everywhere except in the DST gap and fold: a reading skipped in spring (02:00–03:00) maps to
 * the clock an hour later, an ambiguous reading in autumn to its winter-time (later) instant.
 */
function berlinToUtc(local: LocalDateTime): number {
  const naive = asUtc(local);
  const offsetAt = (utcMs: number): number => asUtc(berlinParts(utcMs)) - utcMs;
  const first = naive - offsetAt(naive);
  return naive - offsetAt(first);
}

const calendars = new Map<string, Holidays>();
const publicHolidays = new Map<string, ReadonlySet<string>>();

/** `YYYY-MM-DD` dates of the public holidays at a seat in a year. */
function publicHolidaysOf(seat: Seat, year: number): ReadonlySet<string> {
  const place = seat.region === undefined ? seat.land : `${seat.land}-${seat.region}`;
  const key = `${place}:${year}`;
  let dates = publicHolidays.get(key);
  if (!dates) {
    let calendar = calendars.get(place);
    if (!calendar) {
      calendar =
        seat.region === undefined
          ? new Holidays('DE', seat.land)
          : new Holidays('DE', seat.land, seat.region);
      calendars.set(place, calendar);
    }
    // Holiday.date is the local calendar date ("YYYY-MM-DD hh:mm:ss"), independent of any time zone.
    dates = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    publicHolidays.set(key, dates);
  }
  return dates;
}

/** `date` is a calendar date encoded as UTC midnight. */
function isWorkingDay(date: number, seat: Seat): boolean {
  const d = new Date(date);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidaysOf(seat, d.getUTCFullYear()).has(d.toISOString().slice(0, 10));
}
