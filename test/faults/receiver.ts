/**
 * A webhook receiver on loopback that keeps every delivery it got. It can hold its answers (`hold()` …
 * `release()`), so that a test can catch a worker in the middle of a delivery activity.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  deliveryId: string;
  event: string;
  initiativeId: string;
  seq: number;
}

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private held: { delivery: Delivery; answer: () => void }[] | undefined;
  private readonly waiting = new Set<() => void>();

  private constructor(private readonly server: Server) {
    server.on('request', (request, response) => this.handle(request, response));
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new WebhookReceiver(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** From now on, deliveries are recorded but not answered until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Answers every held delivery and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { answer } of held) answer();
  }

  /** Resolves with the first held delivery of the initiative, once there is one. */
  async holding(initiativeId: string): Promise<Delivery> {
    for (;;) {
      const held = this.held?.find(({ delivery }) => delivery.initiativeId === initiativeId);
      if (held) return held.delivery;
      await new Promise<void>((resolve) => {
        this.waiting.add(resolve);
      });
    }
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Delivery;
      const delivery: Delivery = {
        deliveryId: String(request.headers['x-dd-delivery']),
        event: body.event,
        initiativeId: body.initiativeId,
        seq: body.seq,
      };
      this.deliveries.push(delivery);
      const answer = () => response.writeHead(204).end();
      if (this.held) this.held.push({ delivery, answer });
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
