/**
 * The audit trail as a whole: PostgreSQL refuses to change it, GET /v1/audit/verify and
 * `npm run audit:verify` recompute the chain and name the first broken event, and GET /v1/audit/heads
 * exports the heads with a digest the test recomputes with its own JCS (test/helpers/chain.ts).
 * Tampering goes "behind the database's back": as superuser, with the append-only trigger disabled.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../db/audit-verify.js';
import type { Initiative } from '../workflows/contracts.js';
import { jcs, sha256Hex } from './helpers/chain.js';
import {
  type ApiResponse,
  type HistoryItem,
  historyOf,
  newInitiative,
  token,
  useHarness,
} from './kit/index.js';
import { childEnv, runProcess } from './helpers/spawn.js';

interface Verification {
  ok: boolean;
  checked: number;
  firstBroken?: { initiativeId: string; seq: number; reason: string };
}
interface Heads {
  at: string;
  heads: { initiativeId: string; seq: number; hash: string }[];
  digest: string;
}

const harness = useHarness();
const { who } = harness;
let admin: string;
let raw: postgres.Sql;
let scratch: string;
/** The four initiatives and their histories as the API served them before any tampering. */
const histories = new Map<string, HistoryItem[]>();
let adopted: string;
let revising: string;
let total: number;

beforeAll(async () => {
  admin = await token({ sub: 'admin', name: 'Betrieb', land: 'BE', roles: ['admin'] });
  raw = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
  scratch = mkdtempSync(join(tmpdir(), 'dd-audit-'));

  const create = async () => {
    const response = await harness.post<Initiative>('/v1/initiatives', who.proposerBY, newInitiative());
    if (response.status !== 201) throw new Error(`create: ${response.status}`);
    return response.body.id;
  };
  const post = async (path: string, tokenValue: string, body: unknown) => {
    const response = await harness.post(path, tokenValue, body);
    if (response.status !== 200)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  adopted = await create();
  await post(`/v1/initiatives/${adopted}/reviews`, who.reviewerNW, { decision: 'approve' });
  await post(`/v1/initiatives/${adopted}/reviews`, who.reviewerBY, { decision: 'approve' });
  const withdrawn = await create();
  await post(`/v1/initiatives/${withdrawn}/withdrawal`, who.proposerBY, { reason: 'Doppelt.' });
  revising = await create();
  await post(`/v1/initiatives/${revising}/reviews`, who.reviewerNW, {
    decision: 'request_changes',
    comment: 'Original – bitte „Kosten“ ergänzen.',
  });
  const fresh = await create();
  for (const id of [adopted, withdrawn, revising, fresh])
    histories.set(id, await historyOf(harness, id, who.viewer));
  total = [...histories.values()].reduce((sum, items) => sum + items.length, 0);
});
afterAll(async () => {
  await raw?.end();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const verify = () => harness.get<Verification>('/v1/audit/verify', admin);
const heads = () => harness.get<Heads>('/v1/audit/heads', admin);
const historyItem = (id: string, seq: number): HistoryItem => {
  const item = histories.get(id)?.find((e) => e.seq === seq);
  if (!item) throw new Error(`no event ${id}#${seq}`);
  return item;
};

/** Runs `change` as superuser with the append-only trigger switched off, in one transaction. */
async function behindTheBack(change: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await raw.begin(async (tx) => {
    await tx`alter table audit_events disable trigger audit_events_append_only`;
    await change(tx);
    await tx`alter table audit_events enable trigger audit_events_append_only`;
  });
}

/** Puts an event back exactly as it was (values from the history read before the tampering). */
const restore = (id: string, seq: number) =>
  behindTheBack(async (tx) => {
    const e = historyItem(id, seq);
    await tx`delete from audit_events where initiative_id = ${id} and seq = ${seq}`;
    await tx`insert into audit_events (initiative_id, seq, at, type, actor, data, prev_hash, hash)
             values (${id}, ${seq}, ${e.at}, ${e.type}, ${tx.json(e.actor)},
                     ${tx.json(e.data as never)}, ${e.prevHash}, ${e.hash})`;
  });

async function expectIntact(): Promise<void> {
  const response = await verify();
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ ok: true, checked: total });
}

function expectBroken(response: ApiResponse<Verification>, id: string, seq: number, reason: RegExp) {
  expect(response.status).toBe(200);
  expect(response.body.ok).toBe(false);
  expect(response.body.firstBroken).toMatchObject({ initiativeId: id, seq });
  expect(response.body.firstBroken?.reason).toMatch(reason);
  expect(response.body.checked).toBeGreaterThan(0);
  expect(response.body.checked).toBeLessThanOrEqual(total);
}

const cli = (args: string[] = [], env: Record<string, string | undefined> = {}) =>
  runProcess(
    process.execPath,
    ['--import', 'tsx', 'scripts/audit-verify.ts', ...args],
    childEnv({ DATABASE_URL: harness.databaseUrl, AUDIT_ANCHOR_KEY: undefined, ...env }),
  );
/** The operators' anchor key: held by the verification job, never by API or workers. */
const ANCHOR_KEY = 'an-anchor-key-kept-outside-the-database-0123';
const anchored = (args: string[]) => cli(args, { AUDIT_ANCHOR_KEY: ANCHOR_KEY });

describe('GET /v1/audit/verify', () => {
  it('is ok after some lifecycles and has checked every event', async () => {
    const [{ count }] = await raw<[{ count: number }]>`select count(*)::int as count from audit_events`;
    expect(count).toBe(total);
    expect(total).toBeGreaterThanOrEqual(9);
    const response = await verify();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, checked: total });
    expect(response.body).not.toHaveProperty('firstBroken');
  });

  it('walks in batches: every batch size gives the same answer (keyset across initiatives)', async () => {
    for (const batchSize of [1, 2, 3, 5, total, total + 1])
      expect(await verifyAudit(harness.database.db, { batchSize }), `batch ${batchSize}`).toEqual({
        ok: true,
        checked: total,
      });
  });

  it('is for admins only: 403 for everyone else, 401 without a token', async () => {
    for (const path of ['/v1/audit/verify', '/v1/audit/heads']) {
      for (const tokenValue of [who.viewer, who.proposerBY, who.reviewerNW]) {
        const response = await harness.get<{ status: number }>(path, tokenValue);
        expect(response.status, path).toBe(403);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.status).toBe(403);
      }
      expect((await harness.get(path)).status, path).toBe(401);
    }
  });
});

describe('GET /v1/audit/heads', () => {
  it('has one head per initiative with its last seq and hash, and a recomputable digest', async () => {
    const before = Date.now();
    const response = await heads();
    expect(response.status).toBe(200);
    const { at, heads: items, digest } = response.body;
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const expected = [...histories.entries()]
      .map(([initiativeId, events]) => {
        const last = events.at(-1);
        return { initiativeId, seq: last?.seq, hash: last?.hash };
      })
      .sort((a, b) => (a.initiativeId < b.initiativeId ? -1 : 1));
    expect(items).toEqual(expected);
    expect(items.map((h) => h.seq)).toEqual(expected.map((h) => histories.get(h.initiativeId)?.length));
    // docs/api.md / README: digest = sha256_hex(JCS(heads)), recomputed with the test's own JCS
    expect(digest).toBe(sha256Hex(jcs(items)));
    expect(jcs(items)).toMatch(/^\[\{"hash":"[0-9a-f]{64}","initiativeId":"DD-\d{4}-\d{4}","seq":\d+\},/);
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact trail and writes the heads export with --heads', async () => {
    const file = join(scratch, 'heads.json');
    const result = await cli(['--heads', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, checked: total });
    expect(result.stderr).toMatch(new RegExp(`intact: ${total} events checked`));
    const written = JSON.parse(readFileSync(file, 'utf8')) as Heads;
    const served = (await heads()).body;
    expect(written.heads).toEqual(served.heads);
    expect(written.digest).toBe(served.digest);
    expect(written.digest).toBe(sha256Hex(jcs(written.heads)));
  });

  it('exits 2 on a bad option', async () => {
    const result = await cli(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run audit:verify/);
  });
});

describe('append-only in PostgreSQL', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, for the superuser too, and changes nothing', async () => {
    const attempts = [
      raw`update audit_events set data = '{"comment":"Verändert."}'
          where initiative_id = ${revising} and seq = 2`,
      raw`delete from audit_events where initiative_id = ${revising}`,
      raw`truncate audit_events`,
    ];
    const operations = ['UPDATE', 'DELETE', 'TRUNCATE'];
    for (const [index, attempt] of attempts.entries()) {
      const error = (await attempt.then(
        () => undefined,
        (e: unknown) => e,
      )) as postgres.PostgresError | undefined;
      expect(error, operations[index]).toBeInstanceOf(postgres.PostgresError);
      expect(error?.message).toBe(`audit_events is append-only: ${operations[index]} is not allowed`);
      expect(error?.code).toBe('42501');
    }
    expect(await historyOf(harness, revising, who.viewer)).toEqual(histories.get(revising));
    await expectIntact();
  });
});

describe('tampering behind the database’s back', () => {
  it('an altered event is found by verify and by npm run audit:verify (exit 1)', async () => {
    await behindTheBack(
      (tx) => tx`update audit_events set data = jsonb_set(data, '{comment}', '"Verändert."')
                 where initiative_id = ${revising} and seq = 2`,
    );
    expectBroken(await verify(), revising, 2, /hash does not match/);

    const file = join(scratch, 'broken-heads.json');
    const result = await cli(['--heads', file]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`BROKEN at ${revising} seq 2: hash does not match`);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      firstBroken: { initiativeId: revising, seq: 2 },
    });
    expect(result.stderr).toContain('heads not written');

    await restore(revising, 2);
    await expectIntact();
  });

  it('a deleted event shows as a gap at the next one; a deleted first event at the new first', async () => {
    await behindTheBack((tx) => tx`delete from audit_events where initiative_id = ${adopted} and seq = 2`);
    expectBroken(await verify(), adopted, 3, /seq 3 follows seq 1/);
    await restore(adopted, 2);
    await behindTheBack((tx) => tx`delete from audit_events where initiative_id = ${adopted} and seq = 1`);
    expectBroken(await verify(), adopted, 2, /first event has seq 2, expected 1/);
    await restore(adopted, 1);
    await expectIntact();
  });

  it('a re-hashed edit breaks the next link; a re-hashed tail shows only against a saved heads export', async () => {
    const saved = (await heads()).body;
    const events = histories.get(adopted) ?? [];
    const last = events.length;
    expect(last).toBeGreaterThanOrEqual(3);
    // the forger knows the algorithm: edits seq last-1 and recomputes its hash
    const edited = historyItem(adopted, last - 1);
    const forged = { ...edited.data, forged: true };
    const forgedHash = sha256Hex(
      edited.prevHash +
        jcs({
          initiativeId: adopted,
          seq: edited.seq,
          at: edited.at,
          type: edited.type,
          actor: edited.actor,
          data: forged,
        }),
    );
    await behindTheBack(
      (tx) => tx`update audit_events set data = ${tx.json(forged)}, hash = ${forgedHash}
                 where initiative_id = ${adopted} and seq = ${last - 1}`,
    );
    expectBroken(await verify(), adopted, last, /prev_hash does not match the hash of seq/);

    // … and re-chains the tail after it: the chain verifies again
    const tail = historyItem(adopted, last);
    const tailHash = sha256Hex(
      forgedHash +
        jcs({
          initiativeId: adopted,
          seq: tail.seq,
          at: tail.at,
          type: tail.type,
          actor: tail.actor,
          data: tail.data,
        }),
    );
    await behindTheBack(
      (tx) => tx`update audit_events set prev_hash = ${forgedHash}, hash = ${tailHash}
                 where initiative_id = ${adopted} and seq = ${last}`,
    );
    await expectIntact();
    // but the heads no longer match the export kept outside the database
    const now = (await heads()).body;
    expect(now.digest).not.toBe(saved.digest);
    const savedHead = saved.heads.find((h) => h.initiativeId === adopted);
    const currentHead = now.heads.find((h) => h.initiativeId === adopted);
    expect(currentHead?.seq).toBe(savedHead?.seq);
    expect(currentHead?.hash).not.toBe(savedHead?.hash);

    await restore(adopted, last - 1);
    await restore(adopted, last);
    await expectIntact();
    expect((await heads()).body.digest).toBe(saved.digest);
  });
});

describe('an anchored heads export (AUDIT_ANCHOR_KEY) compared with today', () => {
  it('anchors the export, and finds nothing changed when nothing was', async () => {
    const file = join(scratch, 'anchored.json');
    expect((await anchored(['--heads', file])).code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Heads & { anchor: string };
    expect(saved.anchor).toMatch(/^[0-9a-f]{64}$/);
    const result = await anchored(['--against', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, against: { ok: true, problems: [] } });
    // without the key there is nothing to compare against
    const keyless = await cli(['--against', file]);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/AUDIT_ANCHOR_KEY/);
    // a short key is refused
    expect((await cli(['--against', file], { AUDIT_ANCHOR_KEY: 'short' })).code).toBe(2);
  });

  it('detects a removed tail, which the chain alone does not show', async () => {
    const file = join(scratch, 'before-removal.json');
    expect((await anchored(['--heads', file])).code).toBe(0);
    const last = histories.get(adopted)?.length ?? 0;
    await behindTheBack(
      (tx) => tx`delete from audit_events where initiative_id = ${adopted} and seq = ${last}`,
    );
    try {
      // the chain is intact: the tail is simply shorter
      expect((await verify()).body).toEqual({ ok: true, checked: total - 1 });
      const result = await anchored(['--against', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`initiative ${adopted}: seq ${last} is gone`);
    } finally {
      await restore(adopted, last);
    }
    await expectIntact();
  });

  it('detects an inserted event whose hash (and the chain after it) was recomputed', async () => {
    const file = join(scratch, 'before-insertion.json');
    expect((await anchored(['--heads', file])).code).toBe(0);
    const events = histories.get(adopted) ?? [];
    const last = events.length;
    // the forger moves the last event one up and puts an invented one in its place, all re-hashed
    const tail = historyItem(adopted, last);
    const invented = { ...tail, type: 'comment_added', data: { text: 'never said' } };
    const hashOf = (prevHash: string, e: HistoryItem, seq: number) =>
      sha256Hex(
        prevHash + jcs({ initiativeId: adopted, seq, at: e.at, type: e.type, actor: e.actor, data: e.data }),
      );
    const inventedHash = hashOf(tail.prevHash, invented, last);
    const movedHash = hashOf(inventedHash, tail, last + 1);
    await behindTheBack(async (tx) => {
      await tx`update audit_events set type = ${invented.type}, data = ${tx.json(invented.data)}, hash = ${inventedHash}
               where initiative_id = ${adopted} and seq = ${last}`;
      await tx`insert into audit_events (initiative_id, seq, at, type, actor, data, prev_hash, hash)
               values (${adopted}, ${last + 1}, ${tail.at}, ${tail.type}, ${tx.json(tail.actor)},
                       ${tx.json(tail.data as never)}, ${inventedHash}, ${movedHash})`;
    });
    try {
      expect((await verify()).body).toEqual({ ok: true, checked: total + 1 });
      const result = await anchored(['--against', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`initiative ${adopted}: seq ${last} has another hash`);
    } finally {
      await behindTheBack(
        (tx) => tx`delete from audit_events where initiative_id = ${adopted} and seq = ${last + 1}`,
      );
      await restore(adopted, last);
    }
    await expectIntact();
  });

  it('refuses an export altered to match a forged trail, or anchored under another key', async () => {
    const file = join(scratch, 'altered.json');
    expect((await anchored(['--heads', file])).code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Heads & { anchor: string };
    const head = saved.heads.find((h) => h.initiativeId === adopted);
    if (!head) throw new Error('no head');
    // someone with database access re-hashes a head and writes an export with a consistent digest
    const altered = {
      ...saved,
      heads: saved.heads.map((h) => (h === head ? { ...h, hash: 'f'.repeat(64) } : h)),
    };
    altered.digest = sha256Hex(jcs(altered.heads));
    writeFileSync(file, JSON.stringify(altered));
    const result = await anchored(['--against', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/anchor does not match AUDIT_ANCHOR_KEY/);
    writeFileSync(file, JSON.stringify(saved));
    const otherKey = await cli(['--against', file], { AUDIT_ANCHOR_KEY: `${ANCHOR_KEY}-rotated` });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toMatch(/anchor does not match/);
  });
});
