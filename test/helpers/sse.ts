/**
 * A Server-Sent Events client for tests over `fetch` (what the dashboard does too: EventSource cannot send
 * a bearer token). Collects every event and comment line until the server ends the stream or `close()`.
 */
import { eventually } from '../kit/client.js';

export interface StreamedEvent<T = unknown> {
  id: number;
  data: T;
}

export class EventStream<T = unknown> {
  readonly events: StreamedEvent<T>[] = [];
  readonly comments: string[] = [];
  /** Resolves when the server has ended the stream (or `close()` was called). */
  readonly ended: Promise<void>;
  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.ended = this.read().catch((error: unknown) => {
      if (!this.abort.signal.aborted) throw error;
    });
  }

  static async open<T>(
    baseUrl: string,
    path: string,
    token: string,
    headers: Record<string, string> = {},
  ): Promise<EventStream<T>> {
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return new EventStream<T>(response, abort);
  }

  /** The id of the last complete event (with data or without): what a reconnecting client sends. */
  lastId: number | undefined;

  close(): void {
    this.abort.abort();
  }

  /** Waits until `accept` holds for the events received so far. */
  async waitFor(accept: (events: StreamedEvent<T>[]) => boolean, what: string, timeoutMs = 30_000) {
    await eventually(() => Promise.resolve(this.events), accept, { timeoutMs, intervalMs: 50, what });
    return this.events;
  }

  /** The text/event-stream format: fields per line, an empty line dispatches, `:` starts a comment. */
  private async read(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let id: string | undefined;
    let data: string[] = [];
    for await (const chunk of body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          // The id counts once its event is complete (a blank line), with or without data.
          if (id !== undefined) this.lastId = Number(id);
          if (data.length > 0) this.events.push({ id: Number(id), data: JSON.parse(data.join('\n')) as T });
          data = [];
        } else if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'data') data.push(value);
        }
      }
    }
  }
}
