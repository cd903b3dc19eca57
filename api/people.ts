/**
 * The directory of people (db/people.ts), fed from the tokens the API sees. A dashboard polls with the
 * same token many times a minute, so a principal is written at most once per `intervalMs` (and at once
 * when their claims change); a failed write never fails the request.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import { recordSeen, type Seen } from '../db/people.js';
import type { Principal } from './auth.js';

/** The issuer of a principal as the directory keys it (development mode: `dev`). */
export const issuerOf = (principal: Principal) => principal.iss ?? 'dev';

export const seenOf = (principal: Principal): Seen => ({
  iss: issuerOf(principal),
  sub: principal.sub,
  name: principal.name,
  land: principal.land,
  roles: principal.roles,
  ressort: principal.ressort,
});

const REMEMBERED = 10_000;

export function createDirectory(db: Database, log: FastifyBaseLogger, intervalMs = 300_000) {
  const written = new Map<string, { claims: string; at: number }>();
  return {
    async seen(principal: Principal): Promise<void> {
      const who = seenOf(principal);
      const key = JSON.stringify([who.iss, who.sub]);
      const claims = JSON.stringify(who);
      const last = written.get(key);
      const now = Date.now();
      if (last && last.claims === claims && now - last.at < intervalMs) return;
      try {
        await recordSeen(db, who);
        written.delete(key);
        if (written.size >= REMEMBERED) written.delete(written.keys().next().value as string);
        written.set(key, { claims, at: now });
      } catch (error) {
        log.warn({ err: error }, 'the directory of people could not be updated');
      }
    },
  };
}
