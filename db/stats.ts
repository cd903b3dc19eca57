/**
 * Figures for dashboards (`GET /v1/stats`) and metrics, aggregated in PostgreSQL over the initiatives a
 * caller may read.
 */
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import {
  CHANNELS,
  LANDS,
  PHASES,
  TOPICS,
  type Channel,
  type Land,
  type Phase,
  type Topic,
} from '../workflows/domain.js';
import type { Database } from './client.js';
import { visibleTo, type Visibility } from './initiatives.js';
import { auditEvents, initiatives } from './schema.js';

export interface Stats {
  total: number;
  byPhase: Record<Phase, number>;
  byTopic: Record<Topic, number>;
  byChannel: Record<Channel, number>;
  /** Initiatives each Land takes part in (partners and every invited Land). */
  byLand: Record<Land, number>;
  overdue: number;
  /**
   * Median of the completed stays in each phase, in days (from entering it until leaving it); null for a
   * phase no readable initiative has left yet. Terminal phases are never left: always null.
   */
  medianDaysInPhase: Record<Phase, number | null>;
}

const count = sql<number>`count(*)::int`;

function tally<K extends string>(keys: readonly K[], rows: readonly { key: string; n: number }[]) {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const { key, n } of rows) if ((keys as readonly string[]).includes(key)) counts[key as K] = n;
  return counts;
}

function countedBy(
  db: Database,
  column: typeof initiatives.phase | typeof initiatives.topic | typeof initiatives.channel,
  readable?: SQL,
) {
  return db.select({ key: column, n: count }).from(initiatives).where(readable).groupBy(column);
}

/** Initiatives per phase (all of them unless a visibility is given; /metrics counts all). */
export async function countByPhase(
  db: Database,
  visibility: Visibility = { all: true },
): Promise<Record<Phase, number>> {
  return tally(PHASES, await countedBy(db, initiatives.phase, visibleTo(visibility)));
}

function medianDays(db: Database, visibility: Visibility) {
  // A stay in a phase starts with the initiative's creation (review) or a phase change into it and ends
  // with the next phase change; stays still going on are left out, as their length is not known yet.
  const stays = db.$with('stays').as(
    db
      .select({
        phase:
          sql<string>`case when ${auditEvents.type} = 'initiative_created' then 'review' else ${auditEvents.data}->>'to' end`.as(
            'phase',
          ),
        days: sql<number | null>`extract(epoch from lead(${auditEvents.at}::timestamptz)
          over (partition by ${auditEvents.initiativeId} order by ${auditEvents.seq})
          - ${auditEvents.at}::timestamptz) / 86400`.as('days'),
      })
      .from(auditEvents)
      .innerJoin(initiatives, eq(initiatives.id, auditEvents.initiativeId))
      .where(and(inArray(auditEvents.type, ['initiative_created', 'phase_changed']), visibleTo(visibility))),
  );
  return db
    .with(stays)
    .select({
      phase: stays.phase,
      median: sql<number>`percentile_cont(0.5) within group (order by ${stays.days})`.mapWith(Number),
    })
    .from(stays)
    .where(isNotNull(stays.days))
    .groupBy(stays.phase);
}

export async function statsFor(db: Database, visibility: Visibility): Promise<Stats> {
  const readable = visibleTo(visibility);
  const participation = db
    .select({ land: sql<string>`unnest(${initiatives.lands})`.as('land') })
    .from(initiatives)
    .where(readable)
    .as('participation');
  const [byPhase, topics, channels, lands, [totals], medians] = await Promise.all([
    countByPhase(db, visibility),
    countedBy(db, initiatives.topic, readable),
    countedBy(db, initiatives.channel, readable),
    db.select({ key: participation.land, n: count }).from(participation).groupBy(participation.land),
    db
      .select({ total: count, overdue: sql<number>`(count(*) filter (where ${initiatives.overdue}))::int` })
      .from(initiatives)
      .where(readable),
    medianDays(db, visibility),
  ]);
  const medianDaysInPhase = Object.fromEntries(PHASES.map((phase) => [phase, null])) as Record<
    Phase,
    number | null
  >;
  for (const { phase, median } of medians)
    if ((PHASES as readonly string[]).includes(phase)) medianDaysInPhase[phase as Phase] = median;
  return {
    total: totals?.total ?? 0,
    byPhase,
    byTopic: tally(TOPICS, topics),
    byChannel: tally(CHANNELS, channels),
    byLand: tally(LANDS, lands),
    overdue: totals?.overdue ?? 0,
    medianDaysInPhase,
  };
}
