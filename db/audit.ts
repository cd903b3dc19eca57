/**
 * The audit hash chain of docs/api.md: hash = sha256_hex(prevHash + JCS(event)) over
 * {initiativeId, seq, at, type, actor, data}; an initiative's first event chains to 64 zeros.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../workflows/contracts.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedEventFields {
  initiativeId: string;
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

export function auditHash(prevHash: string, event: HashedEventFields): string {
  const { initiativeId, seq, at, type, actor, data } = event;
  const canonical = canonicalJson({ initiativeId, seq, at, type, actor, data });
  return createHash('sha256')
    .update(prevHash + canonical)
    .digest('hex');
}

/**
 * RFC 8785 (JCS) for JSON values: object members sorted by UTF-16 code units, no whitespace; strings and
 * numbers as ECMAScript's JSON.stringify writes them, which is what JCS prescribes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('JCS has no form for ' + value);
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`JCS has no form for ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
  return `{${members.join(',')}}`;
}

/** A practice's chain (db/practices.ts): the same form, with `practiceId` where initiatives have theirs. */
export interface HashedPracticeEventFields {
  practiceId: string;
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

export function practiceAuditHash(prevHash: string, event: HashedPracticeEventFields): string {
  const { practiceId, seq, at, type, actor, data } = event;
  const canonical = canonicalJson({ practiceId, seq, at, type, actor, data });
  return createHash('sha256')
    .update(prevHash + canonical)
    .digest('hex');
}

/** A format's chain (db/formats.ts): the same form, with `formatId` where initiatives have theirs. */
export interface HashedFormatEventFields {
  formatId: string;
  seq: number;
  at: string;
  type: string;
  actor: Actor;
  data: Record<string, unknown>;
}

export function formatAuditHash(prevHash: string, event: HashedFormatEventFields): string {
  const { formatId, seq, at, type, actor, data } = event;
  const canonical = canonicalJson({ formatId, seq, at, type, actor, data });
  return createHash('sha256')
    .update(prevHash + canonical)
    .digest('hex');
}
