/**
 * The motion texts (docs/texts.md): content-addressed Markdown in `text_blobs`, and an initiative's text
 * versions as its audit trail records them (the creation and every revision that changed the text carry
 * `text: {version, hash}`).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { auditEvents, textBlobs } from './schema.js';

export interface StoredText {
  hash: string;
  body: string;
  length: number;
  paragraphs: number;
}

export interface TextVersion {
  version: number;
  hash: string;
  length: number;
  at: string;
  by: { sub: string; name: string };
  revision: number;
}

export function createTextRepository(db: Database) {
  return {
    /** Stores a text once per hash; storing the same text again changes nothing. */
    async store(text: StoredText): Promise<void> {
      await db.insert(textBlobs).values(text).onConflictDoNothing();
    },

    async get(hash: string): Promise<StoredText | undefined> {
      const [row] = await db
        .select({
          hash: textBlobs.hash,
          body: textBlobs.body,
          length: textBlobs.length,
          paragraphs: textBlobs.paragraphs,
        })
        .from(textBlobs)
        .where(eq(textBlobs.hash, hash));
      return row;
    },

    /** The initiative's last audit event (sequence number and hash), for the exports. */
    async lastAudit(initiativeId: string): Promise<{ seq: number; hash: string } | undefined> {
      const [row] = await db
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .where(eq(auditEvents.initiativeId, initiativeId))
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      return row;
    },

    /** The initiative's text versions, oldest first, from its audit trail. */
    async versions(initiativeId: string): Promise<TextVersion[]> {
      const rows = await db
        .select({
          type: auditEvents.type,
          at: auditEvents.at,
          actor: auditEvents.actor,
          data: auditEvents.data,
          length: textBlobs.length,
        })
        .from(auditEvents)
        .innerJoin(textBlobs, sql`${textBlobs.hash} = ${auditEvents.data}->'text'->>'hash'`)
        .where(
          and(
            eq(auditEvents.initiativeId, initiativeId),
            inArray(auditEvents.type, ['initiative_created', 'revision_submitted']),
          ),
        )
        .orderBy(asc(auditEvents.seq));
      return rows.map((row) => {
        const data = row.data as { text: { version: number; hash: string }; revision?: number };
        const actor = row.actor;
        return {
          version: data.text.version,
          hash: data.text.hash,
          length: row.length,
          at: row.at,
          by: { sub: actor.sub, name: actor.name },
          revision: data.revision ?? 1,
        };
      });
    },
  };
}
export type TextRepository = ReturnType<typeof createTextRepository>;
