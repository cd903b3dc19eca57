/**
 * The web dashboard (web/public) at `/`: static files, no build step. Its own strict Content Security
 * Policy allows scripts, styles and requests from this origin only, so the page works without inline code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** web/public beside api/, from source and from dist/ alike (`npm run build` copies it). */
const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'public');

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    // One route per file found at start: unknown paths keep the API's 404 problem.
    wildcard: false,
    index: 'index.html',
    schemaHide: true,
    // Files are not fingerprinted: browsers revalidate them (ETag) on every load.
    cacheControl: false,
    setHeaders(reply) {
      void reply.headers({
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
    },
  });
};
