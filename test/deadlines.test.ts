import { describe, it, expect } from 'vitest';
import {
  createDeadlineActivities,
  deadlineAfter,
  endOfDay,
  graceAfter,
  instantBefore,
  seatOf,
} from '../activities/deadlines.js';
import { isValidPeriod, parseDuration } from '../lib/periods.js';

// Calendar facts used below: 2026-01-05 Mon, 2026-01-06 Tue (Heilige Drei Könige, BY only), 2026-03-29 Sun
// (DST starts), 2026-04-03 Good Friday, 2026-04-06 Easter Monday, 2026-10-25 Sun (DST ends),
// 2026-12-25 Fri, 2027-01-06 Wed, 2027-03-28 Sun (DST starts), 2027-03-29 Easter Monday.

describe('parseDuration', () => {
  it('parses days, weeks and time parts', () => {
    expect(parseDuration('P14D')).toEqual({ days: 14, milliseconds: 0 });
    expect(parseDuration('P2W')).toEqual({ days: 14, milliseconds: 0 });
    expect(parseDuration('PT5S')).toEqual({ days: 0, milliseconds: 5_000 });
    expect(parseDuration('PT1M30S')).toEqual({ days: 0, milliseconds: 90_000 });
    expect(parseDuration('PT0.25S')).toEqual({ days: 0, milliseconds: 250 });
    expect(parseDuration('P1DT2H')).toEqual({ days: 1, milliseconds: 7_200_000 });
  });

  it.each(['P1M', 'P1Y', '14D', 'PT', '', 'P-1D', 'P', 'P1DT', 'PT1.5H', 'P0D', 'p1d', ' P1D'])(
    'rejects %j',
    (iso) => {
      expect(() => parseDuration(iso)).toThrow(RangeError);
      expect(isValidPeriod(iso)).toBe(false);
    },
  );

  it('accepts valid periods', () => {
    for (const iso of ['P14D', 'P2W', 'PT5S', 'PT1M30S', 'P1DT2H']) expect(isValidPeriod(iso)).toBe(true);
  });

  it('caps a period at 3 660 days (about ten years), whatever the units', () => {
    for (const iso of ['P3660D', 'P522W6D', 'PT87840H']) expect(isValidPeriod(iso)).toBe(true);
    for (const iso of ['P3661D', 'P523W', 'P3660DT1S', 'P0026025371D', 'P9105WT072606H'])
      expect(() => parseDuration(iso), iso).toThrow(/longer than 3660 days/);
  });
});

describe('deadlineAfter: whole days (§ 193 BGB)', () => {
  it('P14D from a Monday in winter ends on the Monday two weeks later at 24:00 Berlin (23:00Z)', () => {
    expect(deadlineAfter('2026-01-05T09:00:00Z', 'P14D', 'BY')).toBe('2026-01-19T23:00:00.000Z');
  });

  it('P2W is 14 days', () => {
    expect(deadlineAfter('2026-01-05T09:00:00Z', 'P2W', 'NW')).toBe('2026-01-19T23:00:00.000Z');
  });

  it('a last day on a Saturday rolls to Monday', () => {
    // Sat 2026-01-10 + 14 = Sat 01-24 -> Mon 01-26
    expect(deadlineAfter('2026-01-10T10:00:00Z', 'P14D', 'NW')).toBe('2026-01-26T23:00:00.000Z');
  });

  it('a last day on a Saturday rolls to Tuesday when Monday is a holiday (Easter Monday, after DST start)', () => {
    // Sat 2026-03-21 + 14 = Sat 04-04 -> Sun 04-05 -> Easter Monday 04-06 -> Tue 04-07, CEST
    expect(deadlineAfter('2026-03-21T10:00:00Z', 'P14D', 'BY')).toBe('2026-04-07T22:00:00.000Z');
  });

  it('chains Good Friday, the weekend and Easter Monday', () => {
    expect(deadlineAfter('2026-03-20T10:00:00Z', 'P14D', 'NW')).toBe('2026-04-07T22:00:00.000Z');
  });

  it('6 January rolls over in Bavaria but not in North Rhine-Westphalia', () => {
    // Tue 2025-12-23 + 14 = Tue 2026-01-06
    expect(deadlineAfter('2025-12-23T10:00:00Z', 'P14D', 'BY')).toBe('2026-01-07T23:00:00.000Z');
    expect(deadlineAfter('2025-12-23T10:00:00Z', 'P14D', 'NW')).toBe('2026-01-06T23:00:00.000Z');
    // across the turn of the year: Wed 2026-12-30 + 7 = Wed 2027-01-06
    expect(deadlineAfter('2026-12-30T10:00:00Z', 'P1W', 'BY')).toBe('2027-01-07T23:00:00.000Z');
    expect(deadlineAfter('2026-12-30T10:00:00Z', 'P1W', 'NW')).toBe('2027-01-06T23:00:00.000Z');
  });

  it('a common holiday rolls over for both Länder', () => {
    // Mon 2027-03-15 + 14 = Easter Monday 2027-03-29 -> Tue 03-30, CEST
    expect(deadlineAfter('2027-03-15T10:00:00Z', 'P14D', 'BY')).toBe('2027-03-30T22:00:00.000Z');
    expect(deadlineAfter('2027-03-15T10:00:00Z', 'P14D', 'NW')).toBe('2027-03-30T22:00:00.000Z');
    // Fri 2026-12-11 + 14 = Christmas Day (Fri) -> Boxing Day (Sat) -> Sun -> Mon 2026-12-28
    expect(deadlineAfter('2026-12-11T10:00:00Z', 'P14D', 'BY')).toBe('2026-12-28T23:00:00.000Z');
    expect(deadlineAfter('2026-12-11T10:00:00Z', 'P14D', 'NW')).toBe('2026-12-28T23:00:00.000Z');
  });

  it('a deadline in summer ends at 22:00Z', () => {
    // Mon 2026-06-01 + 14 = Mon 06-15
    expect(deadlineAfter('2026-06-01T08:00:00Z', 'P14D', 'BY')).toBe('2026-06-15T22:00:00.000Z');
  });

  it('a deadline after the autumn DST change ends at 23:00Z', () => {
    // Sat 2026-10-10 (CEST) + 14 = Sat 10-24 -> Mon 10-26 (CET)
    expect(deadlineAfter('2026-10-10T10:00:00Z', 'P14D', 'NW')).toBe('2026-10-26T23:00:00.000Z');
  });

  it('counts from the Berlin date, not the UTC date', () => {
    // 22:30Z = 23:30 Berlin on Mon 2026-01-12
    expect(deadlineAfter('2026-01-12T22:30:00Z', 'P1D', 'NW')).toBe('2026-01-13T23:00:00.000Z');
    // 23:30Z on Mon 2026-01-12 is already 00:30 Berlin on Tue 2026-01-13
    expect(deadlineAfter('2026-01-12T23:30:00Z', 'P1D', 'NW')).toBe('2026-01-14T23:00:00.000Z');
    // summer: 22:30Z on Mon 2026-06-01 is 00:30 Berlin on Tue 06-02
    expect(deadlineAfter('2026-06-01T22:30:00Z', 'P1D', 'BY')).toBe('2026-06-03T22:00:00.000Z');
    // explicit offsets are honoured
    expect(deadlineAfter('2026-01-13T00:30:00+01:00', 'P1D', 'NW')).toBe('2026-01-14T23:00:00.000Z');
  });
});

describe('deadlineAfter: exact periods', () => {
  it('sub-day periods are exact', () => {
    expect(deadlineAfter('2026-01-05T10:00:00Z', 'PT5S', 'BY')).toBe('2026-01-05T10:00:05.000Z');
    expect(deadlineAfter('2026-01-05T10:00:00Z', 'PT1M30S', 'BY')).toBe('2026-01-05T10:01:30.000Z');
    expect(deadlineAfter('2026-01-05T10:00:00.250Z', 'PT0.5S', 'NW')).toBe('2026-01-05T10:00:00.750Z');
  });

  it('days with a time part are exact and ignore holidays', () => {
    // would land on 6 January, a holiday in BY
    expect(deadlineAfter('2026-01-05T10:00:00Z', 'P1DT2H', 'BY')).toBe('2026-01-06T12:00:00.000Z');
  });

  it('rejects instants without an offset', () => {
    expect(() => deadlineAfter('2026-01-05T10:00:00', 'P1D', 'BY')).toThrow(RangeError);
    expect(() => deadlineAfter('not a date', 'P1D', 'BY')).toThrow(RangeError);
  });
});

describe('instantBefore', () => {
  it('whole days keep the Berlin time of day across the spring DST change', () => {
    // 2026-04-01 00:00 CEST minus 7 days = 2026-03-25 00:00 CET
    expect(instantBefore('2026-03-31T22:00:00Z', 'P7D')).toBe('2026-03-24T23:00:00.000Z');
    // Mon 2026-03-30 10:00 CEST minus 2 days = Sat 03-28 10:00 CET
    expect(instantBefore('2026-03-30T08:00:00Z', 'P2D')).toBe('2026-03-28T09:00:00.000Z');
  });

  it('whole days keep the Berlin time of day across the autumn DST change', () => {
    // 2026-10-27 00:00 CET minus 3 days = 2026-10-24 00:00 CEST
    expect(instantBefore('2026-10-26T23:00:00Z', 'P3D')).toBe('2026-10-23T22:00:00.000Z');
  });

  it('does not roll over holidays', () => {
    // 2026-01-07 24:00 Berlin minus 1 day = end of 6 January, a holiday in BY
    expect(instantBefore('2026-01-07T23:00:00Z', 'P1D')).toBe('2026-01-06T23:00:00.000Z');
  });

  it('time parts are exact', () => {
    expect(instantBefore('2026-03-29T02:00:00Z', 'PT1H')).toBe('2026-03-29T01:00:00.000Z');
    expect(instantBefore('2026-01-05T10:00:05Z', 'PT5S')).toBe('2026-01-05T10:00:00.000Z');
    expect(instantBefore('2026-01-06T12:00:00Z', 'P1DT2H')).toBe('2026-01-05T10:00:00.000Z');
  });
});

describe('the seat and the grace period (docs/domain.md#deadlines)', () => {
  const activities = createDeadlineActivities();
  const computeDeadlines = (input: Parameters<typeof activities.computeDeadlines>[0]) =>
    activities.computeDeadlines(input);

  it('counts the grace from the day the deadline ended (§ 187(1), § 188(1) BGB): the example to the day', async () => {
    // A review started Mon 02.03.2026 with P14D is due at the end of Mon 16.03, expires at the end of Mon 23.03.
    const [computed] = await computeDeadlines({
      from: '2026-03-02T09:00:00Z',
      requests: [
        { kind: 'review', land: 'BY', period: 'P14D', reminderBefore: 'P3D', escalationGrace: 'P7D' },
      ],
    });
    expect(computed).toEqual({
      dueAt: '2026-03-16T23:00:00.000Z',
      remindAt: '2026-03-13T23:00:00.000Z',
      expireAt: '2026-03-23T23:00:00.000Z',
    });
    expect(graceAfter('2026-03-16T23:00:00.000Z', 'P7D', 'NW')).toBe('2026-03-23T23:00:00.000Z');
  });

  it('rolls a grace ending on a Saturday over to Monday, and keeps a grace with a time part exact', () => {
    // due at the end of Fri 2026-03-20; +1 day = Sat 21.03 -> Mon 23.03
    expect(graceAfter('2026-03-20T23:00:00.000Z', 'P1D', 'BY')).toBe('2026-03-23T23:00:00.000Z');
    expect(graceAfter('2026-03-20T23:00:00.000Z', 'PT30S', 'BY')).toBe('2026-03-20T23:00:30.000Z');
  });

  it('rolls a BY deadline on 15 August over (Mariä Himmelfahrt in Munich), not an NW one', async () => {
    // Sat 2026-08-01 + 14 = Sat 08-15 -> Mon 08-17 anyway; use 2025: Fri 2025-08-01 + 14 = Fri 08-15.
    const requests = [
      { kind: 'review' as const, land: 'BY' as const, period: 'P14D' },
      { kind: 'review' as const, land: 'NW' as const, period: 'P14D' },
    ];
    const [by, nw] = await computeDeadlines({ from: '2025-08-01T09:00:00Z', requests });
    expect(by?.dueAt).toBe('2025-08-18T22:00:00.000Z'); // Mon 18.08, end of day CEST
    expect(nw?.dueAt).toBe('2025-08-15T22:00:00.000Z'); // Fri 15.08 is a working day in Düsseldorf
    expect(seatOf({ kind: 'review', land: 'BY' })).toEqual({ land: 'BY', region: 'KATH' });
  });

  it("counts a liaison's Bundesrat reminder with Berlin's holidays (8 March), whatever the lead Land", async () => {
    // Session Thu 2027-03-04 (test date) + P4D = Mon 08.03.2027, Internationaler Frauentag in Berlin.
    const [plenary, review] = await computeDeadlines({
      from: '2027-03-04T12:00:00Z',
      requests: [
        { kind: 'plenary', land: 'BY', period: 'P4D', from: '2027-03-04T12:00:00.000Z' },
        { kind: 'review', land: 'BY', period: 'P4D' },
      ],
    });
    expect(plenary?.dueAt).toBe('2027-03-09T23:00:00.000Z'); // Tue 09.03
    expect(review?.dueAt).toBe('2027-03-08T23:00:00.000Z'); // Munich works on 8 March
  });

  it('ends an extended deadline at 24:00 of its last day, rolled over by § 193', async () => {
    const [extended] = await computeDeadlines({
      from: '2026-03-02T09:00:00Z',
      requests: [
        {
          kind: 'review',
          land: 'BY',
          period: 'P14D',
          until: '2026-08-15',
          reminderBefore: 'P3D',
          escalationGrace: 'P7D',
        },
      ],
    });
    expect(extended).toEqual({
      dueAt: '2026-08-17T22:00:00.000Z', // Sat 15.08 (a holiday, too) -> Mon 17.08
      remindAt: '2026-08-14T22:00:00.000Z',
      expireAt: '2026-08-24T22:00:00.000Z',
    });
    expect(endOfDay('2026-03-16', 'NW')).toBe('2026-03-16T23:00:00.000Z');
  });
});
