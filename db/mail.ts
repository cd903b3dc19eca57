/**
 * The mail outbox (issue 17, docs/notifications.md): which people an initiative's change must be mailed to,
 * written as `mail_outbox` rows in the change's own transaction (`changes.ts`), one per (event, recipient);
 * the mailer's queries (claim, settle, retry with backoff) and the daily digest.
 *
 * Recipients follow the inbox's rule (`performableBy` in tasks.ts), so a mail goes to exactly those whose
 * inbox shows the action. Nobody is mailed without an e-mail address and the event opted in.
 */
import { and, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { AuditEventDraft, Initiative } from '../workflows/contracts.js';
import { isTerminal, type Land, type Phase, type Role } from '../workflows/domain.js';
import type { Database } from './client.js';
import { auditEvents, mailDigests, mailOutbox, pendingActions, people } from './schema.js';
import { performableBy } from './tasks.js';

export const MAIL_EVENTS = ['task', 'reminder', 'escalation', 'decided'] as const;
export type MailEvent = (typeof MAIL_EVENTS)[number];
export type MailKind = MailEvent | 'digest';

/** An open action as `pending_actions` keys it. */
export interface ActionKey {
  action: string;
  land: string;
  role: string;
}

const keyOf = (a: ActionKey) => `${a.action}:${a.land}:${a.role}`;

interface Recipient {
  iss: string;
  sub: string;
  email: string;
  land: string;
  roles: string[];
  ressort: string | null;
  events: string[];
  digest: string;
}

interface MailRow {
  eventKey: string;
  kind: MailEvent;
  recipient: Recipient;
  data: Record<string, unknown>;
}

const recipientColumns = {
  iss: people.iss,
  sub: people.sub,
  email: sql<string>`${people.email}`,
  land: people.land,
  roles: people.roles,
  ressort: people.ressort,
  events: people.events,
  digest: people.digest,
};

/** People with an address who want `event`, of one of `lands` or admins (who see `calendar` actions). */
async function candidates(tx: Database, event: MailEvent, lands: string[]): Promise<Recipient[]> {
  const where: SQL[] = [sql`'admin' = any(${people.roles})`];
  if (lands.length > 0) where.push(inArray(people.land, lands));
  return tx
    .select(recipientColumns)
    .from(people)
    .where(and(isNotNull(people.email), sql`${event} = any(${people.events})`, or(...where)));
}

/** The actions among `keys` of `initiativeId` that `person` may perform now (the inbox's rule). */
async function performable(
  tx: Database,
  initiativeId: string,
  person: Recipient,
  keys: ActionKey[],
): Promise<ActionKey[]> {
  const rule = performableBy({
    sub: person.sub,
    land: person.land as Land,
    roles: person.roles as Role[],
    ...(person.ressort === null ? {} : { ressort: person.ressort }),
  });
  if (!rule || keys.length === 0) return [];
  const rows = await tx
    .select({ action: pendingActions.action, land: pendingActions.land, role: pendingActions.role })
    .from(pendingActions)
    .where(and(eq(pendingActions.initiativeId, initiativeId), rule));
  const wanted = new Set(keys.map(keyOf));
  return rows.filter((row) => wanted.has(keyOf(row)));
}

/**
 * Writes the mail rows of one change, in its transaction (after the inbox rows were rewritten and the
 * audit events inserted): a `task` mail for each action that is new in this change, `reminder` and
 * `escalation` mails for those who may perform the initiative's open actions, `decided` for everyone who
 * acted on the initiative once it reaches a terminal phase. `before`: the open actions before the change,
 * `written`: the audit events this attempt wrote (a retried write mails nothing twice; the unique key
 * (event, recipient) absorbs the rest).
 */
export async function recordMails(
  tx: Database,
  initiative: Initiative,
  before: ActionKey[] | undefined,
  written: AuditEventDraft[],
): Promise<number> {
  const rows: MailRow[] = [];
  const base = { initiativeId: initiative.id, title: initiative.title, phase: initiative.phase };
  const open = initiative.pendingActions ?? [];
  if (before !== undefined) {
    const known = new Set(before.map(keyOf));
    const fresh = open.filter((action) => !known.has(keyOf(action)));
    if (fresh.length > 0) {
      const lands = [...new Set(fresh.map((action) => action.land))];
      for (const person of await candidates(tx, 'task', lands))
        for (const action of await performable(tx, initiative.id, person, fresh)) {
          const due = fresh.find((candidate) => keyOf(candidate) === keyOf(action))?.dueAt;
          rows.push({
            eventKey: `task:${initiative.id}:v${initiative.version}:${keyOf(action)}`,
            kind: 'task',
            recipient: person,
            data: { ...base, ...action, ...(due ? { dueAt: due } : {}) },
          });
        }
    }
  }
  for (const event of written) {
    const kind: MailEvent | undefined =
      event.type === 'review_reminder' || event.type === 'bundesrat_decision_reminder'
        ? 'reminder'
        : event.type === 'review_escalated'
          ? 'escalation'
          : event.type === 'phase_changed' && isTerminal(event.data.to as Phase)
            ? 'decided'
            : undefined;
    if (!kind) continue;
    const eventKey = `${kind}:${initiative.id}#${event.seq}`;
    if (kind === 'decided') {
      // Everyone who acted on it (by subject: the audit actor names no issuer yet).
      const actors = await tx
        .selectDistinct({ sub: sql<string>`${auditEvents.actor}->>'sub'` })
        .from(auditEvents)
        .where(eq(auditEvents.initiativeId, initiative.id));
      const subs = actors.map((actor) => actor.sub).filter((sub) => sub !== 'system');
      if (subs.length === 0) continue;
      const takers = await tx
        .select(recipientColumns)
        .from(people)
        .where(
          and(isNotNull(people.email), sql`'decided' = any(${people.events})`, inArray(people.sub, subs)),
        );
      for (const person of takers)
        rows.push({ eventKey, kind, recipient: person, data: { ...base, outcome: event.data.to } });
      continue;
    }
    const lands = [...new Set(open.map((action) => action.land))];
    for (const person of await candidates(tx, kind, lands)) {
      const actions = await performable(tx, initiative.id, person, open);
      if (actions.length > 0)
        rows.push({ eventKey, kind, recipient: person, data: { ...base, auditType: event.type, actions } });
    }
  }
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(mailOutbox)
    .values(
      rows.map(({ eventKey, kind, recipient, data }) => ({
        eventKey,
        kind,
        iss: recipient.iss,
        sub: recipient.sub,
        toAddress: recipient.email,
        initiativeId: initiative.id,
        data,
        status: recipient.digest === 'daily' ? 'held' : 'pending',
      })),
    )
    .onConflictDoNothing()
    .returning({ id: mailOutbox.id });
  return inserted.length;
}

/** The open actions of an initiative as the inbox holds them, before a change rewrites them. */
export async function openActionsOf(tx: Database, initiativeId: string): Promise<ActionKey[]> {
  return tx
    .select({ action: pendingActions.action, land: pendingActions.land, role: pendingActions.role })
    .from(pendingActions)
    .where(eq(pendingActions.initiativeId, initiativeId));
}

/** A row the mailer sends. */
export interface OutgoingMail {
  id: string;
  kind: MailKind;
  toAddress: string;
  data: Record<string, unknown>;
  attempts: number;
}

/**
 * Claims up to `limit` due rows for sending: marks them `sending` for `leaseMs` (a sender that died
 * mid-send leaves its rows to be claimed again once the lease ran out) and counts the attempt.
 * `FOR UPDATE SKIP LOCKED`: concurrent mailers never claim the same row.
 */
export async function claimMails(db: Database, limit: number, leaseMs: number): Promise<OutgoingMail[]> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(inArray(mailOutbox.status, ['pending', 'sending']), sql`${mailOutbox.nextAttemptAt} <= now()`))
    .orderBy(mailOutbox.nextAttemptAt, mailOutbox.createdAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(mailOutbox)
    .set({
      status: 'sending',
      attempts: sql`${mailOutbox.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
    })
    .where(inArray(mailOutbox.id, due))
    .returning({
      id: mailOutbox.id,
      kind: mailOutbox.kind,
      toAddress: mailOutbox.toAddress,
      data: mailOutbox.data,
      attempts: mailOutbox.attempts,
    });
  return rows.map((row) => ({ ...row, kind: row.kind as MailKind }));
}

export async function markSent(db: Database, id: string): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ status: 'sent', sentAt: sql`now()`, lastError: null })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'sending')));
}

/** A failed attempt: back to `pending`, due again after `delayMs` (the caller's backoff). */
export async function markFailed(db: Database, id: string, error: string, delayMs: number): Promise<void> {
  await db
    .update(mailOutbox)
    .set({
      status: 'pending',
      lastError: error.slice(0, 2_000),
      nextAttemptAt: sql`now() + make_interval(secs => ${delayMs / 1000})`,
    })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'sending')));
}

/**
 * Builds the digest of `day` (a date, YYYY-MM-DD), exactly once: the first caller to record the day turns
 * every person's `held` rows into one `digest` row (in one transaction); later callers find the day taken
 * and do nothing. Answers the number of digests written.
 */
export async function buildDigests(db: Database, day: string): Promise<number> {
  return db.transaction(async (tx) => {
    const taken = await tx
      .insert(mailDigests)
      .values({ day })
      .onConflictDoNothing()
      .returning({ day: mailDigests.day });
    if (taken.length === 0) return 0;
    const held = await tx
      .select({
        id: mailOutbox.id,
        iss: mailOutbox.iss,
        sub: mailOutbox.sub,
        toAddress: mailOutbox.toAddress,
        kind: mailOutbox.kind,
        data: mailOutbox.data,
      })
      .from(mailOutbox)
      .where(eq(mailOutbox.status, 'held'))
      .orderBy(mailOutbox.createdAt, mailOutbox.id);
    const byPerson = new Map<string, typeof held>();
    for (const row of held) {
      const key = JSON.stringify([row.iss, row.sub]);
      byPerson.set(key, [...(byPerson.get(key) ?? []), row]);
    }
    if (byPerson.size === 0) return 0;
    await tx.insert(mailOutbox).values(
      [...byPerson.values()].map((rows) => {
        const [first] = rows as [(typeof held)[number]];
        return {
          eventKey: `digest:${day}`,
          kind: 'digest',
          iss: first.iss,
          sub: first.sub,
          // The address of the latest event: a changed address takes effect with the next mail.
          toAddress: rows.at(-1)?.toAddress ?? first.toAddress,
          data: { day, items: rows.map((row) => ({ kind: row.kind, ...row.data })) },
          status: 'pending',
        };
      }),
    );
    await tx
      .update(mailOutbox)
      .set({ status: 'digested' })
      .where(
        inArray(
          mailOutbox.id,
          held.map((row) => row.id),
        ),
      );
    return byPerson.size;
  });
}
