/**
 * The motion texts of an initiative (docs/texts.md): the versions, one version as Markdown, and its
 * paragraphs. Read from PostgreSQL only; the initiative's read rule applies (404).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TextRepository, TextVersion } from '../../db/texts.js';
import type { CommandRunner } from '../commands.js';
import { paragraphsOf } from '../markdown.js';
import { notFound } from '../problems.js';
import { InitiativeParams } from '../schemas/initiative.js';
import {
  MarkdownText,
  ParagraphsSchema,
  TextDiffParams,
  TextDiffSchema,
  TextVersionParams,
  TextVersionsSchema,
} from '../schemas/texts.js';
import { diffParagraphs } from '../text-diff.js';
import { problemResponses } from './shared.js';

export interface TextRouteOptions {
  commands: CommandRunner;
  texts: TextRepository;
}

export const textRoutes: FastifyPluginAsyncTypebox<TextRouteOptions> = async (app, { commands, texts }) => {
  /** The version's text, after the read rule; 404 for a version the initiative does not have. */
  async function versionText(request: Parameters<CommandRunner['readable']>[0], id: string, version: number) {
    await commands.readable(request, id);
    const found: TextVersion | undefined = (await texts.versions(id)).find((v) => v.version === version);
    const stored = found && (await texts.get(found.hash));
    if (!stored) throw notFound(`The initiative has no text version ${version}.`);
    return { version, ...stored };
  }

  app.get(
    '/initiatives/:id/texts',
    {
      schema: {
        summary: 'The text versions of an initiative, oldest first',
        tags: ['texts'],
        params: InitiativeParams,
        response: { 200: TextVersionsSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      await commands.readable(request, request.params.id);
      return { items: await texts.versions(request.params.id) };
    },
  );

  app.get(
    '/initiatives/:id/texts/:version',
    {
      schema: {
        summary: 'One text version as Markdown',
        tags: ['texts'],
        params: TextVersionParams,
        response: { 200: MarkdownText, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const text = await versionText(request, request.params.id, request.params.version);
      void reply
        .header('etag', `"${text.hash}"`)
        .header('x-content-type-options', 'nosniff')
        .type('text/markdown; charset=utf-8');
      return text.body;
    },
  );

  app.get(
    '/initiatives/:id/texts/:version/paragraphs',
    {
      schema: {
        summary: 'One text version split into its numbered paragraphs (the top-level blocks)',
        tags: ['texts'],
        params: TextVersionParams,
        response: { 200: ParagraphsSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const text = await versionText(request, request.params.id, request.params.version);
      void reply.header('etag', `"${text.hash}"`);
      return { version: text.version, hash: text.hash, items: paragraphsOf(text.body) };
    },
  );

  app.get(
    '/initiatives/:id/texts/:a/diff/:b',
    {
      schema: {
        summary: 'The diff between two text versions: paragraphs aligned, changed ones word by word',
        tags: ['texts'],
        params: TextDiffParams,
        response: { 200: TextDiffSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { id, a, b } = request.params;
      const from = await versionText(request, id, a);
      const to = await versionText(request, id, b);
      return { from: a, to: b, paragraphs: diffParagraphs(paragraphsOf(from.body), paragraphsOf(to.body)) };
    },
  );
};
