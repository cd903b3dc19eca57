/**
 * Receiving an attachment (docs/texts.md, Attachments): the multipart body is read part by part, the file
 * streamed into PostgreSQL piece by piece while its sha256 is computed, and its type decided from its
 * content by `file-type` (magic bytes) — never from its name or declared type. Nothing is held in memory
 * but the piece being written.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import { CHUNK_BYTES, type AttachmentRepository, type BlobWriter } from '../db/attachments.js';
import { isStorableText } from './hardening.js';
import { HttpProblem, badRequest } from './problems.js';

/** What may be attached, by the media type `file-type` reports (plain text: see `isPlainText`). */
export const ALLOWED_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'text/plain': 'plain text',
};

/** ATTACHMENT_MAX_BYTES' default: 20 MiB. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
/** What a multipart body may carry besides the file (boundaries, part headers, the title). */
export const MULTIPART_OVERHEAD = 64 * 1024;
export const TITLE_MAX = 200;
const FILENAME_MAX = 255;

export interface ReceivedUpload {
  title: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
}

const unsupported = (found: string) =>
  new HttpProblem(
    415,
    `The file's content is ${found}; allowed are ${[...new Set(Object.values(ALLOWED_MEDIA_TYPES))].join(', ')}.`,
  );

export const tooLarge = (maxBytes: number) =>
  new HttpProblem(413, `The file exceeds ${maxBytes} bytes (ATTACHMENT_MAX_BYTES).`);

/** The last path segment of a client's file name, or `attachment` when nothing usable is left. */
function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop()?.trim() ?? '';
  const kept = [...base]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .slice(0, FILENAME_MAX)
    .join('');
  return kept && isStorableText(kept) ? kept : 'attachment';
}

/**
 * Plain text is what `file-type` finds no signature in and what decodes as UTF-8 without NUL bytes, checked
 * piece by piece as the file streams past (the streaming `TextDecoder` keeps characters split between
 * pieces whole).
 */
function plainTextCheck() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    piece(piece: Buffer): boolean {
      if (piece.includes(0)) return false;
      try {
        decoder.decode(piece, { stream: true });
        return true;
      } catch {
        return false;
      }
    },
    end(): boolean {
      try {
        decoder.decode();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Streams one file into `writer`; the type is decided from its first piece. Throws 413/415 as problems. */
async function storeFile(file: Readable, writer: BlobWriter) {
  const hash = createHash('sha256');
  const text = plainTextCheck();
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let mediaType: string | undefined;

  const decide = async (first: Buffer) => {
    const found = await fileTypeFromBuffer(first);
    if (found) {
      if (!ALLOWED_MEDIA_TYPES[found.mime]) throw unsupported(`${found.mime} (.${found.ext})`);
      return found.mime;
    }
    return 'text/plain';
  };
  const flush = async () => {
    if (pendingBytes === 0) return;
    const piece = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    mediaType ??= await decide(piece);
    if (mediaType === 'text/plain' && !text.piece(piece)) throw unsupported('not a known file type');
    await writer.append(piece);
  };

  for await (const chunk of file as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  if (size === 0) throw badRequest('The file is empty.', [{ path: 'body/file', message: 'is empty' }]);
  if (mediaType === 'text/plain' && !text.end()) throw unsupported('not a known file type');
  return { sha256: hash.digest('hex'), size, mediaType: mediaType ?? 'text/plain' };
}

/** Multipart errors of `@fastify/multipart` and busboy, as the problems docs/texts.md names. */
function multipartProblem(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_FILES_LIMIT')
    return badRequest('Send exactly one file.', [{ path: 'body/file', message: 'only one file' }]);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION')
    return badRequest('The form has too many parts; send `title` and one `file`.');
  if (
    code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' ||
    (error instanceof Error && /Multipart|boundary/i.test(error.message))
  )
    return badRequest(`The multipart body is malformed: ${(error as Error).message}`);
  return error;
}

/**
 * Reads the request's `title` and `file` parts; the file goes into storage as it arrives. A refused upload
 * (413, 415, 400) leaves nothing stored. Answers the upload's description, its bytes filed under their hash.
 */
export async function receiveUpload(
  request: FastifyRequest,
  attachments: AttachmentRepository,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!request.isMultipart())
    throw new HttpProblem(415, 'Send the file as multipart/form-data with the fields `title` and `file`.');
  let title: string | undefined;
  let file: { filename: string; sha256: string; size: number; mediaType: string } | undefined;
  const writer = attachments.writer();
  try {
    for await (const part of request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 6, fieldSize: 8 * 1024 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw badRequest('The file goes in the field `file`.', [
            { path: `body/${part.fieldname}`, message: 'is not a known field' },
          ]);
        }
        const stored = await storeFile(part.file, writer);
        file = { filename: cleanFilename(part.filename), ...stored };
      } else if (part.fieldname === 'title') {
        title = typeof part.value === 'string' ? part.value.trim() : '';
      }
    }
  } catch (error) {
    await writer.abort();
    throw multipartProblem(error, maxBytes);
  }
  const errors = [];
  if (!file) errors.push({ path: 'body/file', message: 'is required' });
  if (!title) errors.push({ path: 'body/title', message: 'is required' });
  else if ([...title].length > TITLE_MAX)
    errors.push({ path: 'body/title', message: `must be at most ${TITLE_MAX} characters` });
  else if (!isStorableText(title))
    errors.push({ path: 'body/title', message: 'holds characters that cannot be stored' });
  if (errors.length > 0 || !file || !title) {
    await writer.abort();
    throw badRequest('An attachment needs a `title` (at most 200 characters) and one `file`.', errors);
  }
  await writer.finish({ sha256: file.sha256, size: file.size, mediaType: file.mediaType });
  return { title, ...file };
}
