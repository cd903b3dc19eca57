/** The audit trail's verification and heads export. */
import { Type } from 'typebox';
import { Timestamp } from './initiative.js';

const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lowercase sha256 hex' });

export const AuditVerificationSchema = Type.Object({
  ok: Type.Boolean({ description: 'every event chains and hashes as docs/api.md defines' }),
  checked: Type.Integer({
    minimum: 0,
    description: 'events checked: all when ok, else up to and including the first broken one',
  }),
  firstBroken: Type.Optional(
    Type.Union([
      Type.Object({
        initiativeId: Type.String(),
        seq: Type.Integer(),
        reason: Type.String({ description: 'seq gap, prev_hash link or hash mismatch' }),
      }),
      Type.Object(
        {
          practiceId: Type.String(),
          seq: Type.Integer(),
          reason: Type.String({ description: 'seq gap, prev_hash link or hash mismatch' }),
        },
        { description: "a broken event of a practice's chain (the best-practice catalogue)" },
      ),
      Type.Object(
        {
          formatId: Type.String(),
          seq: Type.Integer(),
          reason: Type.String({ description: 'seq gap, prev_hash link or hash mismatch' }),
        },
        { description: "a broken event of a format's chain" },
      ),
    ]),
  ),
});

export const AuditHeadsSchema = Type.Object({
  at: Timestamp,
  heads: Type.Array(
    Type.Object({ initiativeId: Type.String(), seq: Type.Integer({ minimum: 1 }), hash: Sha256Hex }),
    { description: 'the last event of every initiative, sorted by initiativeId' },
  ),
  digest: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'sha256_hex(JCS(heads)): RFC 8785 canonical JSON of the heads array, hashed as UTF-8',
  }),
  practiceHeads: Type.Array(
    Type.Object({ practiceId: Type.String(), seq: Type.Integer({ minimum: 1 }), hash: Sha256Hex }),
    { description: 'the last event of every practice of the catalogue, sorted by practiceId' },
  ),
  practiceDigest: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'sha256_hex(JCS(practiceHeads)), computed as digest is',
  }),
  formatHeads: Type.Array(
    Type.Object({ formatId: Type.String(), seq: Type.Integer({ minimum: 1 }), hash: Sha256Hex }),
    { description: 'the last event of every format, sorted by formatId' },
  ),
  formatDigest: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'sha256_hex(JCS(formatHeads)), computed as digest is',
  }),
});
