/**
 * How an initiative resource maps onto the read-model tables. One place, so that the persisting activity
 * and anything that seeds data directly (the benchmarks) write exactly the same rows.
 */
import type { Initiative } from '../workflows/contracts.js';
import type { initiatives, pendingActions } from './schema.js';

/** NOTIFY channel: the id of an initiative whose read-model row changed, sent when its write commits. */
export const INITIATIVE_CHANGED = 'initiative_changed';

/**
 * The Länder that read an initiative besides viewers and admins: those taking part and, from phase
 * `conference` on, every member of its conference (docs/laenderkreis.md's reading rule).
 */
export function readingLands(initiative: Initiative): string[] {
  const lands = initiative.participants.map((p) => p.land as string);
  for (const member of initiative.conference?.members ?? []) if (!lands.includes(member)) lands.push(member);
  return lands;
}

export function initiativeRow(initiative: Initiative): typeof initiatives.$inferInsert {
  return {
    id: initiative.id,
    version: initiative.version,
    phase: initiative.phase,
    topic: initiative.topic,
    channel: initiative.channel,
    leadLand: initiative.leadLand,
    proposerSub: initiative.proposer.sub,
    overdue: initiative.overdue,
    lands: readingLands(initiative),
    public: initiative.bundesrat?.enteredAt !== undefined,
    searchText: `${initiative.title}\n${initiative.summary}`.toLowerCase(),
    leadRessort: initiative.leadRessort?.key ?? null,
    createdAt: initiative.createdAt,
    updatedAt: initiative.updatedAt,
    resource: initiative,
  };
}

/** The inbox rows: one per action someone still has to take. */
export function pendingActionRows(initiative: Initiative): (typeof pendingActions.$inferInsert)[] {
  return initiative.pendingActions.map((action) => ({
    initiativeId: initiative.id,
    action: action.action,
    land: action.land,
    role: action.role,
    dueAt: action.dueAt ?? null,
    title: initiative.title,
    proposerSub: initiative.proposer.sub,
    authorSubs: (initiative.authors ?? []).map((author) => author.sub),
    leadRessort: initiative.leadRessort?.key ?? null,
    overdue: initiative.overdue,
  }));
}
