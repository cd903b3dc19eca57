/**
 * ISO 8601 periods as the deadline rule of the spec accepts them ("Periods are ISO 8601 durations"): parsing
 * and validation only, without a calendar. The API and the configuration check periods here; the
 * deadline computation (`activities/deadlines.ts`, Berlin time and public holidays) builds on it.
 *
 * Choices beyond the spec:
 * - Accepted durations: `PnW`, `PnD` and the time parts `TnH`, `TnM`, `TnS` (only seconds may be fractional),
 *   in combination (`P1W2D`, `P1DT2H`). Years and months are rejected (their length is ambiguous), as are
 *   negative and zero-length periods.
 * - No period is longer than about ten years (`MAX_PERIOD_DAYS`).
 */

export interface Duration {
  /** Calendar days (a week counts as 7). */
  days: number;
  /** The time part (hours, minutes, seconds) in milliseconds. */
  milliseconds: number;
}

export const DAY_MS = 86_400_000;
/** About ten years: the longest period any deadline may have. */
export const MAX_PERIOD_DAYS = 3_660;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseDuration(iso: string): Duration {
  const m = DURATION.exec(iso);
  // `P` alone and a `T` without any time component pass the pattern's structure but name no period.
  if (!m || iso === 'P' || iso.endsWith('T')) {
    throw new RangeError(
      `Invalid period "${iso}": expected an ISO 8601 duration of weeks, days, hours, minutes and seconds ` +
        '(e.g. P14D, P2W, PT5S, P1DT2H); years and months are not allowed',
    );
  }
  const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m;
  const days = Number(w) * 7 + Number(d);
  const milliseconds =
    Number(h) * 3_600_000 + Number(min) * 60_000 + Math.round(Number(s.replace(',', '.')) * 1000);
  // Deadlines are counted in a calendar of public holidays: beyond a few decades that is fiction (and far
  // enough out, dates stop being representable at all).
  if (days * DAY_MS + milliseconds > MAX_PERIOD_DAYS * DAY_MS) {
    throw new RangeError(`Invalid period "${iso}": longer than ${MAX_PERIOD_DAYS} days`);
  }
  if (days === 0 && milliseconds === 0) {
    throw new RangeError(`Invalid period "${iso}": a period must be longer than zero`);
  }
  return { days, milliseconds };
}

export function isValidPeriod(iso: string): boolean {
  try {
    parseDuration(iso);
    return true;
  } catch {
    return false;
  }
}
