/**
 * Status polling is the API's hottest path: dashboards ask for the same initiatives again and again. This
 * keeps each initiative's resource, its serialised body and who may read it in memory, so that a poll
 * costs no database round trip.
 *
 * It stays correct across processes because every committed change NOTIFYs its initiative's id
 * (db/changes.ts) and every API process LISTENs: a notification drops the entry. A read that was in
 * flight when any notification arrived is not stored (it may predate the change), a (re)connection of the
 * listener empties the cache (notifications may have been missed), and entries older than `maxAgeMs` are
 * read again as a last line of defence. Without a listener (PGlite) nothing is cached.
 */
import type { DatabaseHandle } from '../db/client.js';
import { isVisible, type InitiativeRepository, type Visibility } from '../db/initiatives.js';
import { INITIATIVE_CHANGED } from '../db/read-model.js';
import type { Initiative } from '../workflows/contracts.js';

export interface CachedInitiative {
  resource: Initiative;
  lands: readonly string[];
  public: boolean;
  /** The 200 body, serialised once by the route's own serializer. */
  body?: string;
  storedAt: number;
}

export interface InitiativeCacheOptions {
  /** Entries kept at most; the oldest goes first. 0 turns the cache off. */
  capacity: number;
  /** Entries older than this are read again, in case a lost connection went unnoticed. */
  maxAgeMs?: number;
}

export interface InitiativeCache {
  /** The initiative if it exists and `visibility` may read it. */
  readable(id: string, visibility: Visibility): Promise<CachedInitiative | undefined>;
  /** Drops an entry (and keeps reads in flight from storing what they read). */
  forget(id: string): void;
  close(): Promise<void>;
}

export function createInitiativeCache(
  database: DatabaseHandle,
  initiatives: InitiativeRepository,
  { capacity, maxAgeMs = 30_000 }: InitiativeCacheOptions,
): InitiativeCache {
  const entries = new Map<string, CachedInitiative>();
  // Bumped by every notification and reconnection: a read that saw it change may be stale.
  let generation = 0;
  let listening = false;
  const subscription =
    capacity > 0 && database.listen
      ? database.listen(INITIATIVE_CHANGED, {
          notification(id) {
            generation += 1;
            entries.delete(id);
          },
          subscribed() {
            generation += 1;
            entries.clear();
            listening = true;
          },
          lost() {
            listening = false;
            generation += 1;
            entries.clear();
          },
        })
      : undefined;

  async function load(id: string): Promise<CachedInitiative | undefined> {
    const seen = generation;
    const row = await initiatives.getWithAccess(id);
    if (!row) return undefined;
    const entry: CachedInitiative = { ...row, storedAt: Date.now() };
    if (listening && seen === generation) {
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(id, entry);
    }
    return entry;
  }

  return {
    async readable(id, visibility) {
      const cached = listening ? entries.get(id) : undefined;
      const entry = cached && Date.now() - cached.storedAt < maxAgeMs ? cached : await load(id);
      return entry && isVisible(entry, visibility) ? entry : undefined;
    },
    forget(id) {
      generation += 1;
      entries.delete(id);
    },
    async close() {
      listening = false;
      entries.clear();
      await subscription?.unlisten();
    },
  };
}
