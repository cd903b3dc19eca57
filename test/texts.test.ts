/** Motion texts (docs/texts.md): versions through revisions, reviews bound to a version, remarks, refusals. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { Flow } from './kit/flow.js';
import { MOTION_TEXT, historyOf, newInitiative, useHarness } from './kit/index.js';

const harness = useHarness();
const { who } = harness;
const flow = new Flow(harness, who);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}
interface TextVersions {
  items: { version: number; hash: string; length: number; revision: number; by: { sub: string } }[];
}

const REVISED = `${MOTION_TEXT}\n\n- Artikel 2: Inkrafttreten`;

describe('the motion text', () => {
  it('is stored on create, versioned through a revision, and bound into reviews and the audit chain', async () => {
    const motion = await flow.motion();
    expect(motion.text).toMatchObject({ version: 1, hash: sha256(MOTION_TEXT), paragraphs: 3 });
    expect(motion.text?.length).toBe([...MOTION_TEXT].length);

    const markdown = await fetch(`${harness.baseUrl}/v1/initiatives/${motion.id}/texts/1`, {
      headers: { authorization: `Bearer ${who.reviewerNW}` },
    });
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers.get('etag')).toBe(`"${sha256(MOTION_TEXT)}"`);
    expect(await markdown.text()).toBe(MOTION_TEXT);

    const paragraphs = await harness.get<{ items: { n: number; kind: string; source: string }[] }>(
      `/v1/initiatives/${motion.id}/texts/1/paragraphs`,
      who.reviewerNW,
    );
    expect(paragraphs.body.items.map((p) => [p.n, p.kind])).toEqual([
      [1, 'heading'],
      [2, 'paragraph'],
      [3, 'listItem'],
    ]);

    // NW asks for changes with a remark on paragraph 2, bound to version 1.
    const decided = await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'Bitte ergänzen.',
      textVersion: 1,
      remarks: [{ paragraph: 2, text: 'Welche Behörde?' }],
    });
    expect(decided.status).toBe(200);
    expect(decided.body.reviews.find((r) => r.land === 'NW')).toMatchObject({
      textVersion: 1,
      textHash: sha256(MOTION_TEXT),
      remarks: [{ paragraph: 2, text: 'Welche Behörde?' }],
    });
    await flow.post(motion.id, '/reviews', who.reviewerBY, { decision: 'approve' });

    const revised = await flow.post(motion.id, '/revisions', who.proposerBY, {
      text: REVISED,
      comment: 'Artikel 2 ergänzt.',
    });
    expect(revised.status).toBe(200);
    expect(revised.body.text).toMatchObject({ version: 2, hash: sha256(REVISED), paragraphs: 4 });

    // A review bound to the old version is refused and nothing is recorded.
    const before = await historyOf(harness, motion.id, who.viewer);
    const stale = await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'approve',
      textVersion: 1,
    });
    expect(stale.status).toBe(409);
    expect((stale.body as unknown as Problem).detail).toContain('version 2 is current');
    expect(await historyOf(harness, motion.id, who.viewer)).toHaveLength(before.length);

    const current = await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'approve',
      textVersion: 2,
      remarks: [{ paragraph: 4, text: 'Gut.' }],
    });
    expect(current.status).toBe(200);

    const diff = await harness.get<{ from: number; to: number; paragraphs: { op: string }[] }>(
      `/v1/initiatives/${motion.id}/texts/1/diff/2`,
      who.reviewerNW,
    );
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2 });
    expect(diff.body.paragraphs.map((p) => p.op)).toEqual(['equal', 'equal', 'equal', 'insert']);
    expect((await harness.get(`/v1/initiatives/${motion.id}/texts/1/diff/3`, who.viewer)).status).toBe(404);

    const versions = await harness.get<TextVersions>(`/v1/initiatives/${motion.id}/texts`, who.viewer);
    expect(versions.body.items.map((v) => [v.version, v.hash, v.revision])).toEqual([
      [1, sha256(MOTION_TEXT), 1],
      [2, sha256(REVISED), 2],
    ]);

    const history = await historyOf(harness, motion.id, who.viewer);
    expect(history.find((e) => e.type === 'initiative_created')?.data).toMatchObject({
      text: { version: 1, hash: sha256(MOTION_TEXT) },
    });
    expect(history.find((e) => e.type === 'revision_submitted')?.data).toMatchObject({
      text: { version: 2, hash: sha256(REVISED) },
    });
    const reviews = history.filter((e) => e.type === 'review_decided').map((e) => e.data);
    expect(reviews[0]).toMatchObject({ land: 'NW', textVersion: 1, textHash: sha256(MOTION_TEXT) });
    expect(reviews.at(-1)).toMatchObject({
      land: 'NW',
      textVersion: 2,
      textHash: sha256(REVISED),
      remarks: [{ paragraph: 4, text: 'Gut.' }],
    });
  });

  it('a revision without text, or with the same text, keeps the version', async () => {
    const motion = await flow.motion();
    await flow.post(motion.id, '/reviews', who.reviewerNW, { decision: 'request_changes', comment: 'x' });
    await flow.post(motion.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    const same = await flow.post(motion.id, '/revisions', who.proposerBY, {
      text: MOTION_TEXT,
      comment: 'Nur Zusammenfassung.',
      summary: 'Neu.',
    });
    expect(same.status).toBe(200);
    expect(same.body.text?.version).toBe(1);
    const versions = await harness.get<TextVersions>(`/v1/initiatives/${motion.id}/texts`, who.viewer);
    expect(versions.body.items).toHaveLength(1);
  });

  it('a joint project may go without a text, and gets version 1 from its first revision', async () => {
    const joint = await flow.create();
    expect(joint.text).toBeNull();
    const empty = await harness.get<TextVersions>(`/v1/initiatives/${joint.id}/texts`, who.viewer);
    expect(empty.body.items).toEqual([]);
    expect((await harness.get(`/v1/initiatives/${joint.id}/texts/1`, who.viewer)).status).toBe(404);
    const remark = await flow.post(joint.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'x',
      remarks: [{ paragraph: 1, text: 'Kein Text.' }],
    });
    expect(remark.status).toBe(400);
    await flow.post(joint.id, '/reviews', who.reviewerNW, { decision: 'request_changes', comment: 'x' });
    await flow.post(joint.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    const revised = await flow.post(joint.id, '/revisions', who.proposerBY, {
      text: 'Erster Text.',
      comment: 'x',
    });
    expect(revised.body.text).toMatchObject({ version: 1, paragraphs: 1 });
  });
});

describe('bad input', () => {
  it('a motion without its text → 400', async () => {
    const answer = await harness.post<Problem>('/v1/initiatives', who.proposerBY, {
      ...newInitiative({ channel: 'bundesrat', instrument: 'gesetzesantrag' }),
      text: undefined,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { path: 'body/text', message: 'is required for the bundesrat channel' },
    ]);
  });

  it('a text over 200 000 code points → 400; exactly 200 000 four-byte characters are accepted', async () => {
    const tooLong = await harness.post<Problem>(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ text: 'a'.repeat(200_001) }),
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.[0]?.path).toBe('body/text');
    // 800 000 bytes of UTF-8: over the app's body limit, within the text's.
    const astral = '𝔄'.repeat(200_000);
    const accepted = await harness.post<Initiative>(
      '/v1/initiatives',
      who.proposerBY,
      newInitiative({ text: astral }),
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.text).toMatchObject({ version: 1, length: 200_000, hash: sha256(astral) });
  });

  it('a remark on a paragraph that does not exist → 400, nothing recorded', async () => {
    const motion = await flow.motion();
    const before = await historyOf(harness, motion.id, who.viewer);
    const answer = await flow.post(motion.id, '/reviews', who.reviewerNW, {
      decision: 'request_changes',
      comment: 'x',
      remarks: [{ paragraph: 4, text: 'Gibt es nicht.' }],
    });
    expect(answer.status).toBe(400);
    expect((answer.body as unknown as Problem).detail).toContain('Paragraph 4 does not exist');
    expect(await historyOf(harness, motion.id, who.viewer)).toHaveLength(before.length);
  });

  it('texts of an initiative the caller may not read → 404', async () => {
    const motion = await flow.motion();
    const outsider = who.reviewerHE;
    for (const path of ['texts', 'texts/1', 'texts/1/paragraphs', 'texts/1/diff/1'])
      expect((await harness.get(`/v1/initiatives/${motion.id}/${path}`, outsider)).status).toBe(404);
  });
});
