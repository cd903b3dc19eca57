/**
 * Case 7, attachments: an upload and a download of `BENCH_ATTACHMENT_MIB` MiB (20 by default, the largest
 * attachment docs/texts.md allows), then of four times as much (the bench's API allows it), through the
 * API; the upload is sent chunked (no length) as a multipart body. Measured: throughput, and the API process's RSS (VmRSS,
 * sampled every 20 ms) above its level before the transfer (after a full GC). Any transfer churns some
 * memory (buffers, the young generation regrowing after the GC) whatever its size; what a held file would
 * add grows with the file. Target: from the small to the large file, the RSS growth rises by less than half
 * the difference in size.
 */
import type { BenchContext } from '../context.js';
import type { HttpClient } from '../http.js';
import type { Child } from '../services.js';
import type { Initiative } from '../../workflows/contracts.js';
import { newInitiative } from './lifecycle.js';

export interface TransferMeasurement {
  seconds: number;
  mibPerSecond: number;
  rssBeforeBytes: number;
  rssPeakBytes: number;
  /** Peak minus before. */
  rssGrowthBytes: number;
}

export interface AttachmentSizeResult {
  bytes: number;
  upload: TransferMeasurement;
  download: TransferMeasurement;
}

export interface AttachmentResult {
  /** The size, then four times the size. */
  small: AttachmentSizeResult;
  large: AttachmentSizeResult;
}

const PIECE = 64 * 1024;

/** Plain text (an allowed type) in pieces, produced as it is sent: the load generator holds none of it. */
function textBody(boundary: string, bytes: number): ReadableStream<Uint8Array> {
  const line = Buffer.from('Stellungnahme der Länder zur Digitalisierung der Verwaltung, Anlage 1.\n');
  const piece = Buffer.alloc(PIECE);
  for (let at = 0; at < PIECE; at += line.length) line.copy(piece, at);
  let sent = 0;
  let state: 'head' | 'file' | 'tail' | 'done' = 'head';
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state === 'head') {
        controller.enqueue(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nAnlage\r\n` +
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="anlage.txt"\r\n` +
              'Content-Type: text/plain\r\n\r\n',
          ),
        );
        state = 'file';
      } else if (state === 'file') {
        // Whole lines only, so that the file stays valid UTF-8 however it is cut at the end.
        const size = Math.min(PIECE - (PIECE % line.length), bytes - sent);
        controller.enqueue(piece.subarray(0, size));
        sent += size;
        if (sent >= bytes) state = 'tail';
      } else if (state === 'tail') {
        controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
        state = 'done';
      } else controller.close();
    },
  });
}

/** Runs `transfer` while sampling the API's RSS. */
async function measured(
  api: Child,
  bytes: number,
  transfer: () => Promise<void>,
): Promise<TransferMeasurement> {
  await api.memory(); // a full GC in the API, so that "before" is its settled level
  const rssBeforeBytes = api.rss();
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => {
    rssPeakBytes = Math.max(rssPeakBytes, api.rss());
  }, 20);
  const started = performance.now();
  try {
    await transfer();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  rssPeakBytes = Math.max(rssPeakBytes, api.rss());
  return {
    seconds: Math.round(seconds * 1000) / 1000,
    mibPerSecond: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
    rssBeforeBytes,
    rssPeakBytes,
    rssGrowthBytes: rssPeakBytes - rssBeforeBytes,
  };
}

export async function runAttachments(
  context: BenchContext,
  api: Child,
  http: HttpClient,
  mib: number,
): Promise<AttachmentResult> {
  const small = await transfer(context, api, http, mib * 2 ** 20, 900_000);
  const large = await transfer(context, api, http, 4 * mib * 2 ** 20, 900_001);
  return { small, large };
}

async function transfer(
  context: BenchContext,
  api: Child,
  http: HttpClient,
  bytes: number,
  n: number,
): Promise<AttachmentSizeResult> {
  const { tokens } = context;
  const created = await http.post<Initiative>('/v1/initiatives', tokens.proposerBY, newInitiative(n));
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const base = `http://127.0.0.1:${api.port}/v1/initiatives/${created.body.id}/attachments`;
  let size = 0;
  const upload = await measured(api, bytes, async () => {
    const boundary = `bench-${context.config.runId}`;
    const response = await fetch(base, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.reviewerNW}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: textBody(boundary, bytes),
      duplex: 'half',
    });
    const body = (await response.json()) as { size?: number };
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(body)}`);
    size = body.size ?? 0;
  });
  if (size !== bytes) throw new Error(`upload stored ${size} bytes, sent ${bytes}`);
  const download = await measured(api, bytes, async () => {
    const response = await fetch(`${base}/1`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    if (response.status !== 200 || !response.body) throw new Error(`download: ${response.status}`);
    let received = 0;
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) received += piece.length;
    if (received !== bytes) throw new Error(`download: ${received} bytes, expected ${bytes}`);
  });
  return { bytes, upload, download };
}
