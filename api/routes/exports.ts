/**
 * Exports of an initiative as it stands (docs/texts.md, Exports): `export.pdf` and `export.md`, built
 * from the read model, the current text and the last audit hash. The initiative's read rule applies (404).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createHash } from 'node:crypto';
import type { TextRepository } from '../../db/texts.js';
import type { CommandRunner } from '../commands.js';
import { matchesAny } from '../conditional.js';
import { exportMarkdown, exportPdf, type ExportModel } from '../exports.js';
import { InitiativeParams } from '../schemas/initiative.js';
import { problemResponses } from './shared.js';

export interface ExportRouteOptions {
  commands: CommandRunner;
  texts: TextRepository;
}

export const exportRoutes: FastifyPluginAsyncTypebox<ExportRouteOptions> = async (
  app,
  { commands, texts },
) => {
  async function modelOf(request: FastifyRequest, id: string): Promise<ExportModel> {
    const initiative = await commands.readable(request, id);
    const [stored, lastAudit] = await Promise.all([
      initiative.text ? texts.get(initiative.text.hash) : undefined,
      texts.lastAudit(id),
    ]);
    return { initiative, text: stored?.body, lastAudit };
  }

  /** Sends a document as a download, tagged by its bytes (the same state gives the same bytes). */
  function send(request: FastifyRequest, reply: FastifyReply, body: Buffer, type: string, filename: string) {
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
    void reply
      .header('etag', etag)
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache');
    if (matchesAny(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(type).send(body);
  }

  app.get(
    '/initiatives/:id/export.pdf',
    {
      schema: {
        summary: 'The initiative as a printable, tagged PDF (deterministic: the same state, the same bytes)',
        tags: ['texts'],
        params: InitiativeParams,
        response: {
          200: {
            description: 'the PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...problemResponses(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const model = await modelOf(request, request.params.id);
      return send(request, reply, await exportPdf(model), 'application/pdf', `${model.initiative.id}.pdf`);
    },
  );

  app.get(
    '/initiatives/:id/export.md',
    {
      schema: {
        summary: 'The initiative as Markdown: the same content as the PDF',
        tags: ['texts'],
        params: InitiativeParams,
        response: {
          200: { description: 'the Markdown', content: { 'text/markdown': { schema: { type: 'string' } } } },
          ...problemResponses(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const model = await modelOf(request, request.params.id);
      return send(
        request,
        reply,
        Buffer.from(exportMarkdown(model), 'utf8'),
        'text/markdown; charset=utf-8',
        `${model.initiative.id}.md`,
      );
    },
  );
};
