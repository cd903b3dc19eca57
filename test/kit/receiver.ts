/**
 * A webhook receiver on loopback (127.0.0.1, which the harness allow-lists). Each URL path answers by its
 * own rule, given the attempt of the delivery (how often this delivery id came to the path, 1-based) and
 * the request's number on the path; a path without a rule answers 404. Every request is kept as a
 * receipt. It can hold its answers (`hold()` … `release()`), so that a test catches a worker in the
 * middle of a delivery activity.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got; `answered` is 0 while it is held or delayed. */
export interface Receipt {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
  answered: number;
}

/** A delivery as the notification body names it. */
export interface Delivery {
  deliveryId: string;
  event: string;
  initiativeId: string;
  seq: number;
}

type Rule = (attempt: number, request: number) => number;

export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  private readonly rules = new Map<string, { status: Rule; delayMs: number }>();
  private held: { receipt: Receipt; answer: () => void }[] | undefined;
  private readonly waiting = new Set<() => void>();

  private constructor(private readonly server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      this.handle(request, response),
    );
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Routes `path` by `status` (answered after `delayMs`) and returns its URL. */
  rule(path: string, status: Rule, delayMs = 0): string {
    this.rules.set(path, { status, delayMs });
    return `${this.base}${path}`;
  }

  /** Requests to `path` (optionally of one initiative). */
  on(path: string, initiativeId?: string): Receipt[] {
    return this.receipts.filter(
      (r) => r.path === path && (initiativeId === undefined || r.body.initiativeId === initiativeId),
    );
  }

  /** The statuses `path` answered so far, in order. */
  answered(path: string): number[] {
    return this.on(path).map((r) => r.answered);
  }

  /** Acknowledged (2xx) receipts per delivery id on `path`. */
  acknowledged(path: string, initiativeId?: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.on(path, initiativeId))
      if (r.answered >= 200 && r.answered < 300) {
        const id = String(r.headers['x-dd-delivery']);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    return counts;
  }

  /** Every request, as deliveries. */
  get deliveries(): Delivery[] {
    return this.receipts.map(delivery);
  }

  /** From now on, requests are kept but not answered until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Answers every held request and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { answer } of held) answer();
  }

  /** Resolves with the first held delivery of the initiative, once there is one. */
  async holding(initiativeId: string): Promise<Delivery> {
    for (;;) {
      const held = this.held?.find(({ receipt }) => receipt.body.initiativeId === initiativeId);
      if (held) return delivery(held.receipt);
      await new Promise<void>((resolve) => {
        this.waiting.add(resolve);
      });
    }
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = request.headers['x-dd-delivery'];
      const earlier = this.on(path);
      const attempt = earlier.filter((r) => r.headers['x-dd-delivery'] === id).length + 1;
      const rule = this.rules.get(path);
      const status = rule ? rule.status(attempt, earlier.length + 1) : 404;
      // Seen at once (in flight), acknowledged only once answered.
      const receipt: Receipt = {
        path,
        headers: request.headers,
        raw,
        body: JSON.parse(raw) as Record<string, unknown>,
        answered: 0,
      };
      this.receipts.push(receipt);
      const answer = () =>
        setTimeout(() => {
          receipt.answered = status;
          response.writeHead(status).end();
        }, rule?.delayMs ?? 0);
      if (this.held) this.held.push({ receipt, answer });
      else answer();
      for (const wake of this.waiting) wake();
      this.waiting.clear();
    });
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const delivery = (receipt: Receipt): Delivery => ({
  deliveryId: String(receipt.headers['x-dd-delivery']),
  event: receipt.body.event as string,
  initiativeId: receipt.body.initiativeId as string,
  seq: receipt.body.seq as number,
});
