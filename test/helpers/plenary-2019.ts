/** The 2019 plenary sessions of docs/domain.md (numbered 974..984): calendar data for tests and recordings. */
export interface Session {
  number: number;
  date: string;
  provisional?: boolean;
  source: string;
}

const SOURCE_2019 = 'Bundesrat, Plenarsitzungstermine 2019 (bundesrat.de)';

export const SESSIONS_2019: Session[] = [
  '2019-02-15',
  '2019-03-15',
  '2019-04-12',
  '2019-05-17',
  '2019-06-07',
  '2019-06-28',
  '2019-09-20',
  '2019-10-11',
  '2019-11-08',
  '2019-11-29',
  '2019-12-20',
].map((date, index) => ({ number: 974 + index, date, source: SOURCE_2019 }));

/** `{number, date}` of a 2019 session, as an initiative's `plenarySession` shows it. */
export function session2019(number: number): { number: number; date: string } {
  const found = SESSIONS_2019.find((s) => s.number === number);
  if (!found) throw new Error(`no 2019 session ${number}`);
  return { number, date: found.date };
}
