/**
 * Attachments of an initiative (docs/texts.md, Attachments): upload (streamed multipart), list, download
 * (streamed), withdrawal. The commands are the catalogue's `attach` and `withdrawAttachment`; these routes
 * are their own because an upload is no JSON body and a withdrawal names an attachment in its path.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { AttachmentRepository } from '../../db/attachments.js';
import type { Attachment, Initiative } from '../../workflows/contracts.js';
import { erased } from '../../workflows/commands/define.js';
import {
  attach as attachEntry,
  withdrawAttachment as withdrawalEntry,
} from '../../workflows/commands/index.js';
import { isTerminal } from '../../workflows/domain.js';
import { authorise } from '../access.js';
import { MULTIPART_OVERHEAD, receiveUpload } from '../attachments.js';
import { sendResult, type CommandRunner } from '../commands.js';
import { conflict, notFound } from '../problems.js';
import { InitiativeParams } from '../schemas/initiative.js';
import {
  AttachmentBytes,
  AttachmentList,
  AttachmentParams,
  AttachmentSchema,
  AttachmentUpload,
  AttachmentWithdrawalBody,
} from '../schemas/attachments.js';
import { commandHeaders, problemResponses } from './shared.js';

export interface AttachmentRouteOptions {
  commands: CommandRunner;
  attachments: AttachmentRepository;
  /** ATTACHMENT_MAX_BYTES. */
  maxBytes: number;
}

/** Downloads never run in the API's origin: no scripts, no plugins, no same-origin access. */
const DOWNLOAD_CSP = "sandbox; default-src 'none'";

const attach = erased(attachEntry);
const withdrawAttachment = erased(withdrawalEntry);

const attachmentOf = (initiative: Initiative, id: number): Attachment | undefined =>
  initiative.attachments?.find((a) => a.id === id);

export const attachmentRoutes: FastifyPluginAsyncTypebox<AttachmentRouteOptions> = async (
  app,
  { commands, attachments, maxBytes },
) => {
  // Only here: every other route keeps answering multipart bodies with 415.
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });

  app.post(
    '/initiatives/:id/attachments',
    {
      schema: {
        summary: 'Add an attachment: multipart/form-data with `title` and one `file` (streamed)',
        description: `${AttachmentUpload.description}. The type is decided from the content; allowed are PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG and plain text (else 415). At most ATTACHMENT_MAX_BYTES (413).`,
        tags: ['attachments'],
        consumes: ['multipart/form-data'],
        params: InitiativeParams,
        headers: commandHeaders,
        response: {
          201: AttachmentSchema,
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
        },
      },
      bodyLimit: maxBytes + MULTIPART_OVERHEAD,
    },
    async (request, reply) => {
      const { id } = request.params;
      // 404, 403 and 409 before a byte of the file is read or stored.
      const initiative = await commands.readable(request, id);
      authorise(attach.who, request.principal, initiative, request.principal.land);
      if (isTerminal(initiative.phase))
        throw conflict(`The initiative is ${initiative.phase}; nothing changes any more.`);
      const upload = await receiveUpload(request, attachments, maxBytes);
      // What a retry with the same Idempotency-Key must repeat (the parts themselves are gone).
      request.body = upload;
      const result = await commands.execute(request, id, attach, { body: upload, land: undefined });
      if (result.status >= 400) return sendResult(reply, result);
      const after = result.body as Initiative;
      const added = after.attachments
        ?.filter((a) => a.sha256 === upload.sha256 && a.by.sub === request.principal.sub)
        .at(-1);
      if (!added) throw new Error('the attachment is missing from the initiative the command returned');
      return reply
        .code(201)
        .header('location', `/v1/initiatives/${encodeURIComponent(id)}/attachments/${added.id}`)
        .send(added);
    },
  );

  app.get(
    '/initiatives/:id/attachments',
    {
      schema: {
        summary: 'The attachments of an initiative, oldest first (withdrawn ones included)',
        tags: ['attachments'],
        params: InitiativeParams,
        response: { 200: AttachmentList, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const initiative = await commands.readable(request, request.params.id);
      return { items: initiative.attachments ?? [] };
    },
  );

  app.get(
    '/initiatives/:id/attachments/:attachmentId',
    {
      schema: {
        summary: 'Download an attachment (streamed; Content-Disposition: attachment)',
        tags: ['attachments'],
        params: AttachmentParams,
        response: { 200: AttachmentBytes, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const { id, attachmentId } = request.params;
      const attachment = attachmentOf(await commands.readable(request, id), attachmentId);
      const blob = attachment && (await attachments.blob(attachment.sha256));
      if (!attachment || !blob) throw notFound(`The initiative has no attachment ${attachmentId}.`);
      const etag = `"${blob.sha256}"`;
      void reply
        .header('etag', etag)
        .header('content-disposition', contentDisposition(attachment.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', DOWNLOAD_CSP)
        .header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag))
        return (reply as FastifyReply).code(304).send();
      return (reply as FastifyReply)
        .type(blob.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : blob.mediaType)
        .header('content-length', String(blob.size))
        .send(Readable.from(attachments.read(blob.sha256)));
    },
  );

  app.post(
    '/initiatives/:id/attachments/:attachmentId/withdrawal',
    {
      schema: {
        summary: 'Withdraw an attachment (its uploader); it stays listed and downloadable as withdrawn',
        tags: ['attachments'],
        params: AttachmentParams,
        headers: commandHeaders,
        body: AttachmentWithdrawalBody,
        response: {
          200: AttachmentSchema,
          ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
        },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const { id, attachmentId } = request.params;
      if (!attachmentOf(await commands.readable(request, id), attachmentId))
        throw notFound(`The initiative has no attachment ${attachmentId}.`);
      const result = await commands.execute(request, id, withdrawAttachment, {
        body: { attachment: attachmentId, ...request.body },
        land: undefined,
      });
      if (result.status >= 400) return sendResult(reply, result);
      const withdrawn = attachmentOf(result.body as Initiative, attachmentId);
      if (!withdrawn) throw new Error('the attachment is missing from the initiative the command returned');
      return withdrawn;
    },
  );
};
