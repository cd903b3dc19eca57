/** Calendar dates (`YYYY-MM-DD`, no time zone) and their arithmetic. */

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}
