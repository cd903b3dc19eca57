/**
 * Case 6, the best-practice search: `GET /v1/practices` with German full-text queries and filters, one
 * request after another for a fixed time after a warm-up (the settings of case 2), at 10 000 and again at
 * 100 000 practices. Seeded in SQL (`seedPractices`): the generated `search` column and its GIN index are
 * PostgreSQL's own, as in production.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { BenchContext } from '../context.js';
import type { HttpClient } from '../http.js';
import { runLists, type ListMeasurement, type ListQueryDefinition } from './lists.js';

/** One practice in a thousand has "Verwaltungsportal" in its title, one in a hundred in its summary. */
export const PRACTICE_QUERIES: ListQueryDefinition[] = [
  { name: 'practices, newest first', path: '/v1/practices', as: 'viewer' },
  {
    name: 'practices ?q=Verwaltungsportale (rare)',
    path: '/v1/practices?q=Verwaltungsportale',
    as: 'reviewerHE',
  },
  {
    name: 'practices ?q=Digitalisierung (every third)',
    path: '/v1/practices?q=Digitalisierung',
    as: 'viewer',
  },
  {
    name: 'practices ?q&topic&land',
    path: '/v1/practices?q=Verwaltungsportale&topic=egovernment&land=BY',
    as: 'viewer',
  },
  { name: 'practices ?topic=ehealth', path: '/v1/practices?topic=ehealth', as: 'viewer' },
];

const SUBJECTS = [
  'Schulcloud',
  'Telenotarzt',
  'Bauantrag',
  'Glasfaserausbau',
  'Servicekonto',
  'Datenlabor',
  'Mobilitätsplattform',
];

/** Practices `from` … `to - 1` in one statement: deterministic text, Länder and topics by index. */
export async function seedPractices(db: Database, from: number, to: number): Promise<void> {
  const subjects = sql.raw(`(array[${SUBJECTS.map((s) => `'${s}'`).join(',')}])`);
  await db.execute(sql`
    with seeded as (
      select i,
        (array['BY','NW','HE','SN','TH','BW','NI','BE'])[1 + i % 8] as land,
        (select array_agg(key order by key) from topics)[1 + i % 8] as topic,
        case when i % 1000 = 0 then 'Verwaltungsportal ' || i else ${subjects}[1 + i % 7] || ' ' || i end as title,
        case when i % 3 = 0 then 'Digitalisierung der Verwaltung im Land. ' else 'Ein Vorhaben der Länder. ' end
          || case when i % 100 = 0 then 'Angebunden an das Verwaltungsportal. ' else '' end
          || 'Beispiel Nummer ' || i || '.' as summary,
        (timestamptz '2026-01-01T00:00:00Z' + i * interval '1 minute') as created,
        md5('practice-' || i)::uuid as id
      from generate_series(${from}::int, ${to - 1}::int) as i
    )
    insert into practices (id, version, land, topic, ressort, title, summary, tags_text, created_at, updated_at, resource)
    select id, 1, land, topic, null, title, summary, '', created, created,
      jsonb_build_object('id', id, 'version', 1, 'land', land, 'topic', topic, 'ressort', null,
        'title', title, 'summary', summary, 'url', null, 'contact', null, 'tags', '[]'::jsonb,
        'createdBy', jsonb_build_object('sub', 'bench', 'name', 'Bench'),
        'createdAt', to_char(created at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'updatedAt', to_char(created at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'interest', '[]'::jsonb)
    from seeded`);
  await db.execute(sql`analyze practices`);
}

/** The practice queries, measured as case 2 measures the lists. */
export function runPracticeSearch(
  context: BenchContext,
  http: HttpClient,
  size: number,
): Promise<ListMeasurement[]> {
  return runLists(context, http, size, PRACTICE_QUERIES, 'practices');
}
