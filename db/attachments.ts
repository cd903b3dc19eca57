/**
 * Attachments' bytes (docs/texts.md, Attachments): content-addressed in `attachment_blobs` and
 * `attachment_chunks`, written and read one piece at a time so that no file is ever held in memory.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from './client.js';
import { attachmentBlobs, attachmentChunks } from './schema.js';

/** The largest piece stored in one row. */
export const CHUNK_BYTES = 256 * 1024;

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
          seq += 1;
          await db.insert(attachmentChunks).values({ key, seq, data: piece });
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

    /** The stored bytes, one piece per database round trip. */
    async *read(sha256: string): AsyncGenerator<Buffer> {
      let seq = 0;
      for (;;) {
        const [row] = await db
          .select({ seq: attachmentChunks.seq, data: attachmentChunks.data })
          .from(attachmentChunks)
          .where(and(eq(attachmentChunks.key, sha256), gt(attachmentChunks.seq, seq)))
          .orderBy(asc(attachmentChunks.seq))
          .limit(1);
        if (!row) return;
        seq = row.seq;
        yield Buffer.from(row.data);
      }
    },
  };
}
export type AttachmentRepository = ReturnType<typeof createAttachmentRepository>;
