/**
 * Attachments' bytes (docs/texts.md, Attachments): content-addressed in `attachment_blobs` and
 * `attachment_chunks`, written and read one piece at a time so that no file is ever held in memory.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from './client.js';
import { attachmentBlobs, attachmentChunks } from './schema.js';

/**
 * The largest piece stored in one row. Small on purpose: postgres.js sends bytea as hex text, and a piece's
 * hex string under V8's large-object size (128 KiB) dies young instead of piling up until a full GC.
 */
export const ROW_BYTES = 32 * 1024;
/** Rows written or read per round trip. */
const ROWS_PER_TRIP = 8;
/** What an upload buffers before it writes: one round trip's rows. */
export const CHUNK_BYTES = ROW_BYTES * ROWS_PER_TRIP;

export interface StoredBlob {
  sha256: string;
  size: number;
  mediaType: string;
}

/** One upload in progress: pieces under a key of its own until its hash is known. */
export interface BlobWriter {
  append(piece: Buffer): Promise<void>;
  /** Files the pieces under their hash; false if those bytes were stored already (the pieces are dropped). */
  finish(blob: StoredBlob): Promise<boolean>;
  /** Drops what was written (a refused upload). */
  abort(): Promise<void>;
}

export function createAttachmentRepository(db: Database) {
  return {
    writer(): BlobWriter {
      const key = `upload:${randomUUID()}`;
      let seq = 0;
      return {
        async append(piece) {
          const rows = [];
          for (let at = 0; at < piece.length; at += ROW_BYTES) {
            seq += 1;
            rows.push({ key, seq, data: piece.subarray(at, at + ROW_BYTES) });
          }
          if (rows.length > 0) await db.insert(attachmentChunks).values(rows);
        },
        async finish(blob) {
          return db.transaction(async (tx) => {
            const inserted = await tx
              .insert(attachmentBlobs)
              .values(blob)
              .onConflictDoNothing()
              .returning({ sha256: attachmentBlobs.sha256 });
            if (inserted.length === 0) {
              await tx.delete(attachmentChunks).where(eq(attachmentChunks.key, key));
              return false;
            }
            await tx.update(attachmentChunks).set({ key: blob.sha256 }).where(eq(attachmentChunks.key, key));
            return true;
          });
        },
        async abort() {
          await db.delete(attachmentChunks).where(eq(attachmentChunks.key, key));
        },
      };
    },

    async blob(sha256: string): Promise<StoredBlob | undefined> {
      const [row] = await db
        .select({
          sha256: attachmentBlobs.sha256,
          size: attachmentBlobs.size,
          mediaType: attachmentBlobs.mediaType,
        })
        .from(attachmentBlobs)
        .where(eq(attachmentBlobs.sha256, sha256));
      return row;
    },

    /** The stored bytes, a few rows per database round trip. */
    async *read(sha256: string): AsyncGenerator<Buffer> {
      let seq = 0;
      for (;;) {
        const rows = await db
          .select({ seq: attachmentChunks.seq, data: attachmentChunks.data })
          .from(attachmentChunks)
          .where(and(eq(attachmentChunks.key, sha256), gt(attachmentChunks.seq, seq)))
          .orderBy(asc(attachmentChunks.seq))
          .limit(ROWS_PER_TRIP);
        for (const row of rows) {
          seq = row.seq;
          yield Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data);
        }
        if (rows.length < ROWS_PER_TRIP) return;
      }
    },
  };
}
export type AttachmentRepository = ReturnType<typeof createAttachmentRepository>;
