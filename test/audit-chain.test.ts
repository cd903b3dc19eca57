/**
 * The history's hash chain is continuous and recomputable exactly as docs/api.md defines it, with a JCS
 * implementation of the test's own (test/helpers/chain.ts), over commands and timer-driven events alike.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { GENESIS, chainProblems, jcs, sha256Hex } from './helpers/chain.js';
import { historyOf, newInitiative, useHarness, waitForInitiative, REVISION_ROUND } from './kit/index.js';

const harness = useHarness();
const { who } = harness;

async function create(overrides: Record<string, unknown> = {}): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

async function post(path: string, tokenValue: string, body: unknown) {
  const response = await harness.post(path, tokenValue, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

describe('the test’s own JCS', () => {
  it('sorts keys, drops whitespace and writes numbers and strings as ECMAScript does', () => {
    expect(jcs({ b: 1, a: { d: [1, 'ä', true], c: null } })).toBe('{"a":{"c":null,"d":[1,"ä",true]},"b":1}');
    expect(jcs([1e21, 0.1, -0, 1.5e-7, 100])).toBe('[1e+21,0.1,0,1.5e-7,100]');
    expect(jcs('"\\\n\u0001€😀')).toBe('"\\"\\\\\\n\\u0001€😀"');
    // UTF-16 code unit order: "é" (U+00E9) after "z", "😀" (surrogates D83D…) before "ﬀ" (U+FB00)
    expect(jcs({ é: 1, z: 2, ﬀ: 3, '😀': 4, A: 5 })).toBe('{"A":5,"z":2,"é":1,"😀":4,"ﬀ":3}');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('hash chain', () => {
  it('is intact over a full lifecycle with revisions and awkward text', async () => {
    const created = await create({
      title: 'Prüfung „digitaler“ Ämter – Straße & Co.',
      summary: 'Zeilen\numbruch, Tab\t, Backslash \\ und Emoji 🚀',
      ressort: 'StMD',
    });
    const path = `/v1/initiatives/${created.id}`;
    await post(`${path}/reviews`, who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte "Kosten" ergänzen – 😀 \u00e9\u0301',
    });
    await post(`${path}/reviews`, who.reviewerBY, { decision: 'approve', comment: 'Einverstanden.' });
    await post(`${path}/revisions`, who.proposerBY, {
      title: 'Prüfung digitaler Ämter (überarbeitet)',
      comment: 'Kosten: 1.250.000 €',
    });
    await post(`${path}/reviews`, who.reviewerNW, { decision: 'approve' });
    const adopted = await post(`${path}/reviews`, who.reviewerBY, { decision: 'approve' });
    expect(adopted.phase).toBe('adopted');

    const items = await historyOf(harness, created.id, who.viewer);
    expect(items.map((e) => e.type)).toEqual(REVISION_ROUND);
    expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(items[0]?.prevHash).toBe(GENESIS);
    expect(chainProblems(created.id, items)).toEqual([]);
    expect(new Set(items.map((e) => e.hash)).size).toBe(items.length);
    // the history's timestamps are ordered
    for (let i = 1; i < items.length; i++)
      expect(Date.parse(items[i]?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(items[i - 1]?.at ?? ''));
  });

  it('is intact over timer-driven events (reminders, escalations, expiry)', async () => {
    const created = await create({
      periods: { review: 'PT2S', reminderBefore: 'PT1S', escalationGrace: 'PT2S' },
    });
    await waitForInitiative(harness, created.id, who.viewer, (i) => i.phase === 'expired', {
      timeoutMs: 20_000,
      what: 'phase expired',
    });
    const items = await historyOf(harness, created.id, who.viewer);
    const types = items.map((e) => e.type);
    expect(types).toContain('review_reminder');
    expect(types).toContain('review_escalated');
    expect(types).toContain('expired');
    expect(types.at(-1)).toBe('phase_changed');
    expect(items.filter((e) => e.actor.sub === 'system').length).toBeGreaterThanOrEqual(4);
    expect(chainProblems(created.id, items)).toEqual([]);
  });

  it('chains each initiative separately from genesis', async () => {
    const [a, b] = await Promise.all([create(), create()]);
    await Promise.all([
      post(`/v1/initiatives/${a.id}/reviews`, who.reviewerBY, { decision: 'approve' }),
      post(`/v1/initiatives/${b.id}/withdrawal`, who.proposerBY, { reason: 'Doppelt.' }),
    ]);
    for (const id of [a.id, b.id]) {
      const items = await historyOf(harness, id, who.viewer);
      expect(items[0]?.prevHash).toBe(GENESIS);
      expect(items[0]?.seq).toBe(1);
      expect(chainProblems(id, items)).toEqual([]);
    }
  });

  it('the recomputation detects an edited event (the check can fail)', async () => {
    const created = await create();
    await post(`/v1/initiatives/${created.id}/reviews`, who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Original.',
    });
    expect(chainProblems(created.id, await historyOf(harness, created.id, who.viewer))).toEqual([]);
    // edit the comment behind the service's back (as superuser: the table refuses UPDATE otherwise)
    const sql = postgres(harness.databaseUrl, { max: 1, onnotice: () => undefined });
    try {
      await sql.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_append_only`;
        await tx`update audit_events set data = jsonb_set(data, '{comment}', '"Verändert."')
                 where initiative_id = ${created.id} and seq = 2`;
        await tx`alter table audit_events enable trigger audit_events_append_only`;
      });
    } finally {
      await sql.end();
    }
    const problems = chainProblems(created.id, await historyOf(harness, created.id, who.viewer));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${created.id}#2: hash`));
  });
});
