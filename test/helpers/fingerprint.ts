/**
 * A digest of everything a request could change in the database, observed directly (below the API) so
 * that a refused request can be shown to have changed nothing. Left out: stored Idempotency-Key answers
 * (a refusal is remembered on purpose) and the delivery log's attempts, which the notification workflow
 * updates in the background; new deliveries still show in their count. `volatile` initiatives (created
 * with periods short enough for their timers to fire meanwhile) are left out as well.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export async function stateFingerprint(
  db: Database,
  volatile: readonly string[] = [],
): Promise<Record<string, unknown>> {
  // An array renders as a parenthesised list; '' keeps it non-empty.
  const skipped = ['', ...volatile];
  const result: unknown = await db.execute(sql`
    select
      (select md5(coalesce(string_agg(id || ':' || resource::text, ',' order by id), '')) from initiatives
        where id not in ${skipped}) as initiatives,
      (select md5(coalesce(string_agg(initiative_id || ':' || seq || ':' || hash, ',' order by initiative_id, seq), ''))
        from audit_events where initiative_id not in ${skipped}) as audit,
      (select md5(coalesce(string_agg(initiative_id || ':' || action || ':' || land || ':' || role, ','
        order by initiative_id, action, land, role), '')) from pending_actions
        where initiative_id not in ${skipped}) as pending,
      (select md5(coalesce(string_agg(number || ':' || date || ':' || provisional || ':' || source, ','
        order by number), '')) from plenary_sessions) as calendar,
      (select md5(coalesce(string_agg(drucksache || ':' || initiative_id, ',' order by drucksache), ''))
        from drucksachen) as drucksachen,
      (select md5(coalesce(string_agg(id || ':' || url || ':' || secret, ',' order by id), '')) from webhooks)
        as webhooks,
      (select count(*)::int from webhook_deliveries where initiative_id not in ${skipped}) as deliveries,
      (select md5(coalesce(string_agg(year || ':' || last, ',' order by year), '')) from reference_counters)
        as references,
      (select md5(coalesce(string_agg(key || ':' || name || ':' || members::text || ':' || bund || ':'
        || voting_rules::text || ':' || registration_lead_days || ':' || source || ':' || provisional, ','
        order by key), '')) from conferences) as conferences,
      (select md5(coalesce(string_agg(conference_key || ':' || date || ':' || coalesce(number::text, '-') || ':'
        || coalesce(place, '-') || ':' || provisional || ':' || source, ',' order by conference_key, date), ''))
        from conference_sessions) as conference_sessions,
      (select md5(coalesce(string_agg(year || ':' || shares::text || ':' || source || ':' || provisional, ','
        order by year), '')) from koenigstein_shares) as koenigstein
  `);
  // postgres.js answers an array of rows (PGlite, not used by the tests, would answer { rows }).
  const [row] = result as Record<string, unknown>[];
  if (!row) throw new Error('the fingerprint query returned nothing');
  return row;
}
