/**
 * The directory of people (issue 17): the principals the API has seen, by issuer and subject, with what
 * their latest token said and their e-mail preferences (docs/notifications.md).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { MAIL_EVENTS, type MailEvent } from './mail.js';
import { people } from './schema.js';

/** A principal as the directory keeps it. */
export interface Seen {
  iss: string;
  sub: string;
  name: string;
  land: string;
  roles: readonly string[];
  ressort?: string | undefined;
}

export interface Preferences {
  email: string | null;
  events: MailEvent[];
  digest: 'immediate' | 'daily';
}

export const DEFAULT_PREFERENCES: Preferences = {
  email: null,
  events: [...MAIL_EVENTS],
  digest: 'immediate',
};

const claims = (who: Seen) => ({
  name: who.name,
  land: who.land,
  roles: [...who.roles],
  ressort: who.ressort ?? null,
});

/** Records that `who` was seen now, with the claims of their token (their preferences stay). */
export async function recordSeen(db: Database, who: Seen): Promise<void> {
  await db
    .insert(people)
    .values({ iss: who.iss, sub: who.sub, ...claims(who) })
    .onConflictDoUpdate({
      target: [people.iss, people.sub],
      set: { ...claims(who), lastSeenAt: sql`now()` },
    });
}

export async function preferencesOf(db: Database, iss: string, sub: string): Promise<Preferences> {
  const [row] = await db
    .select({ email: people.email, events: people.events, digest: people.digest })
    .from(people)
    .where(and(eq(people.iss, iss), eq(people.sub, sub)));
  if (!row) return DEFAULT_PREFERENCES;
  return {
    email: row.email,
    events: MAIL_EVENTS.filter((event) => row.events.includes(event)),
    digest: row.digest === 'daily' ? 'daily' : 'immediate',
  };
}

/** Stores `who`'s preferences (and records them as seen). */
export async function setPreferences(
  db: Database,
  who: Seen,
  preferences: Preferences,
): Promise<Preferences> {
  const values = {
    email: preferences.email,
    events: MAIL_EVENTS.filter((event) => preferences.events.includes(event)),
    digest: preferences.digest,
  };
  await db
    .insert(people)
    .values({ iss: who.iss, sub: who.sub, ...claims(who), ...values })
    .onConflictDoUpdate({
      target: [people.iss, people.sub],
      set: { ...claims(who), ...values, lastSeenAt: sql`now()` },
    });
  return values;
}

/** A directory entry (for tests and operators). */
export async function personOf(db: Database, iss: string, sub: string) {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.iss, iss), eq(people.sub, sub)));
  return row;
}
