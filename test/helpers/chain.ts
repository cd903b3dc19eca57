/**
 * The audit hash chain of docs/api.md, recomputed independently of db/audit.ts:
 * hash = sha256_hex(prevHash + JCS({initiativeId, seq, at, type, actor, data})), genesis = 64 zeros.
 */
import { createHash } from 'node:crypto';
import type { HistoryItem } from '../kit/client.js';

export const GENESIS = '0'.repeat(64);

/**
 * RFC 8785 canonical JSON for the values JSON can carry: object keys sorted by UTF-16 code units (what
 * Array.prototype.sort does without a comparator), no whitespace, strings and numbers serialised as
 * ECMAScript does (RFC 8785 §3.2.2 adopts exactly that).
 */
export function jcs(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not representable in JSON: ${value}`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((item) => jcs(item)).join(',') + ']';
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + jcs(record[k])).join(',') + '}';
    }
    default:
      throw new TypeError(`not representable in JSON: ${typeof value}`);
  }
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Problems found in one initiative's history; an empty list means the chain is intact. */
export function chainProblems(initiativeId: string, items: HistoryItem[]): string[] {
  const problems: string[] = [];
  let prev = GENESIS;
  items.forEach((item, index) => {
    const where = `${initiativeId}#${item.seq}`;
    if (item.seq !== index + 1) problems.push(`${where}: seq ${item.seq} at position ${index + 1}`);
    if (item.prevHash !== prev) problems.push(`${where}: prevHash does not chain to the previous hash`);
    if (!/^[0-9a-f]{64}$/.test(item.hash)) problems.push(`${where}: hash is not lowercase sha256 hex`);
    const { seq, at, type, actor, data } = item;
    const expected = sha256Hex(item.prevHash + jcs({ initiativeId, seq, at, type, actor, data }));
    if (item.hash !== expected) problems.push(`${where}: hash ${item.hash} != recomputed ${expected}`);
    prev = item.hash;
  });
  return problems;
}
