/**
 * The inbox: a principal's open actions across all initiatives, from `pending_actions` (rewritten with the
 * read model in one transaction). Served by the indexes on (land, role, due_at) and the partial index on
 * `calendar` actions, never by a workflow query.
 */
import { and, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PendingActionKind } from '../workflows/contracts.js';
import type { Land, Role } from '../workflows/domain.js';
import type { Database } from './client.js';
import { pendingActions } from './schema.js';

/** Who asks for their inbox. */
export interface InboxOwner {
  sub: string;
  land: Land;
  roles: readonly Role[];
  /** The token's Ressort, if it names one. */
  ressort?: string;
}

export interface Task {
  initiativeId: string;
  title: string;
  action: PendingActionKind;
  land: Land;
  role: Role;
  dueAt: string | null;
  /** The initiative's overdue flag, or the action's due time has passed. */
  overdue: boolean;
}

/**
 * The rule of who may perform an open action (`pending_actions`), as an SQL condition: their Land's actions
 * for their roles, and for admins every `calendar` action; without what they would be refused (a review of
 * an initiative they authored, someone else's revision). Used by the inbox and by the mail outbox
 * (db/mail.ts), so that a mail goes exactly to those whose inbox shows the action. `undefined`: nothing.
 */
export function performableBy(owner: InboxOwner): SQL | undefined {
  const mine: SQL[] = [];
  if (owner.roles.length > 0)
    mine.push(
      and(eq(pendingActions.land, owner.land), inArray(pendingActions.role, [...owner.roles])) as SQL,
    );
  if (owner.roles.includes('admin')) mine.push(eq(pendingActions.action, 'calendar'));
  if (mine.length === 0) return undefined;
  return and(
    or(...mine),
    // Four-eyes (workflows/commands/rules.ts `fourEyes`): nobody decides a review of an initiative
    // they proposed or whose versions they authored.
    or(
      ne(pendingActions.action, 'review'),
      and(
        ne(pendingActions.proposerSub, owner.sub),
        sql`not (${owner.sub} = any(${pendingActions.authorSubs}))`,
      ),
    ),
    // Ownership (`leadRessortOwns`): the proposer, or a proposer of the lead Ressort (the action's Land
    // is the lead Land, which `mine` already matched against the owner's).
    or(
      ne(pendingActions.action, 'revise'),
      eq(pendingActions.proposerSub, owner.sub),
      owner.ressort === undefined ? sql`false` : eq(pendingActions.leadRessort, owner.ressort),
    ),
  );
}

/**
 * The owner's open actions (`performableBy`). Soonest due first (undated last), then by initiative.
 * `ressort`: only actions on initiatives that Ressort (a key) leads.
 */
export async function tasksOf(db: Database, owner: InboxOwner, ressort?: string): Promise<Task[]> {
  const performable = performableBy(owner);
  if (!performable) return [];
  const rows = await db
    .select({
      initiativeId: pendingActions.initiativeId,
      title: pendingActions.title,
      action: pendingActions.action,
      land: pendingActions.land,
      role: pendingActions.role,
      // ISO 8601 UTC whatever the driver's text form of timestamptz.
      dueAt: sql<
        string | null
      >`to_char(${pendingActions.dueAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      overdue: sql<boolean>`(${pendingActions.overdue} or coalesce(${pendingActions.dueAt} < now(), false))`,
    })
    .from(pendingActions)
    .where(and(performable, ressort === undefined ? undefined : eq(pendingActions.leadRessort, ressort)))
    .orderBy(
      sql`${pendingActions.dueAt} asc nulls last, ${pendingActions.initiativeId} asc, ${pendingActions.action} asc`,
    );
  return rows.map((row) => ({
    ...row,
    action: row.action as PendingActionKind,
    land: row.land as Land,
    role: row.role as Role,
  }));
}
