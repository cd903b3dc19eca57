/** Calendar-date arithmetic on `YYYY-MM-DD` strings (UTC, so no daylight-saving shifts). Pure. */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00.000Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}
