/** Calendar dates (`YYYY-MM-DD`, no time zone) and their arithmetic. */

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

const berlinDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The last calendar day (Europe/Berlin) of a period that ends at `deadlineIso`: a whole-day period ends at
 * 24:00 of its last day, so the instant a millisecond before the end lies on that day.
 */
export function lastDayOf(deadlineIso: string): string {
  return berlinDay.format(new Date(Date.parse(deadlineIso) - 1));
}
