/**
 * How the page sends commands (web/public/js/commands.js), against the real API: `If-Match` with the
 * version seen, and an `Idempotency-Key` per attempt that is reused when an attempt got no answer. A proxy
 * in front of the API loses one answer on purpose (the command did happen): sending the same body again
 * gets the original result instead of being run a second time.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../workflows/contracts.js';
import { useHarness } from './kit/index.js';

type Outcome =
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'refused'; status: number; problem: { status: number; detail?: string }; running: boolean }
  | { kind: 'unknown'; status: number | null };
type Submission = (
  path: string,
  options: { token: () => string | null },
) => { send(body: unknown, version?: number): Promise<Outcome> };

const harness = useHarness();
const { who, flow } = harness;
let submission: Submission;
let proxy: Server;
let proxyUrl: string;
/** Set to lose the next answer: the request reaches the API, its answer never reaches the page. */
let loseNextAnswer = false;
const keysSeen: string[] = [];

beforeAll(async () => {
  const modulePath = '../web/public/js/commands.js';
  ({ submission } = (await import(modulePath)) as { submission: Submission });

  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      keysSeen.push(headers['idempotency-key'] ?? '');
      void fetch(`${harness.baseUrl}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        if (loseNextAnswer) {
          loseNextAnswer = false;
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
        response.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (!address || typeof address === 'string') throw new Error('the proxy did not bind a port');
  proxyUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
});

describe('sending a command from the page', () => {
  it('an attempt without an answer is sent again under its key: the command happens once', async () => {
    const created = await flow.create();
    const review = submission(`${proxyUrl}/v1/initiatives/${created.id}/reviews`, {
      token: () => who.reviewerNW,
    });

    loseNextAnswer = true;
    const lost = await review.send({ decision: 'approve' }, created.version);
    expect(lost).toEqual({ kind: 'unknown', status: null });
    const afterLoss = await flow.get(created.id);
    expect(afterLoss.version).toBe(created.version + 1); // it did happen

    const again = await review.send({ decision: 'approve' }, created.version);
    expect(again.kind).toBe('done');
    // the original answer, not a second decision (which would be refused: NW has decided already)
    expect((again as { body: Initiative }).body).toEqual(afterLoss);
    expect((await flow.history(created.id)).filter((e) => e.type === 'review_decided')).toHaveLength(1);
    expect(keysSeen.at(-1)).toBe(keysSeen.at(-2));

    // a different submission is a new attempt with a new key, refused on its merits
    const other = await review.send({ decision: 'reject', comment: 'Doch nicht.' }, afterLoss.version);
    expect(other).toMatchObject({ kind: 'refused', status: 409, running: false });
    expect(keysSeen.at(-1)).not.toBe(keysSeen.at(-2));
  });

  it('If-Match carries the version seen: a stale one is refused with 412 and changes nothing', async () => {
    const created = await flow.create();
    await flow.command(created.id, '/reviews', who.reviewerBY, { decision: 'approve' });
    const review = submission(`${proxyUrl}/v1/initiatives/${created.id}/reviews`, {
      token: () => who.reviewerNW,
    });
    const stale = await review.send({ decision: 'approve' }, created.version);
    expect(stale).toMatchObject({ kind: 'refused', status: 412, problem: { status: 412 } });
    expect((await flow.get(created.id)).reviews.find((r) => r.land === 'NW')?.status).toBe('pending');
    const current = await review.send({ decision: 'approve' }, created.version + 1);
    expect(current).toMatchObject({ kind: 'done', status: 200, body: { phase: 'adopted' } });
  });
});
