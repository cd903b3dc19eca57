/**
 * Live updates from GET /v1/events. EventSource cannot send a bearer token, so the stream is read with
 * fetch; after a drop it reconnects with `Last-Event-ID`, and the server resumes right after it.
 */

/** @typedef {{ type: string, initiativeId: string, seq: number, phase: string, version: number | null, at: string }} Change */
/** @typedef {'connecting' | 'connected' | 'reconnecting'} StreamState */

/** The text/event-stream format (the server ends lines with LF): fields, blank line dispatches, `:` comments. */
export class EventStreamParser {
  buffer = '';
  /** @type {string[]} */
  data = [];
  /** @type {string | undefined} the `id:` of the event being read */
  pendingId;
  /** @type {string | undefined} the id of the last complete event, even one without data */
  lastId;
  /** @type {number | undefined} the server's `retry:` hint in ms */
  retry;

  /** @param {string} text @returns {{ id: string | undefined, data: string }[]} */
  push(text) {
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    const events = [];
    for (const line of lines) {
      if (line === '') {
        // An id counts once its event is complete: a drop mid-event resumes before it.
        this.lastId = this.pendingId;
        if (this.data.length > 0) events.push({ id: this.lastId, data: this.data.join('\n') });
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'id') this.pendingId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    }
    return events;
  }
}

/**
 * @param {{
 *   token: string,
 *   onChange: (change: Change) => void,
 *   onState: (state: StreamState) => void,
 *   onUnauthorized: () => void,
 * }} handlers
 * @returns {{ stop(): void }}
 */
export function followChanges({ token, onChange, onState, onUnauthorized }) {
  const abort = new AbortController();
  /** @type {string | undefined} */
  let lastId;
  let retryMs = 2000;

  async function connectOnce() {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastId !== undefined) headers['last-event-id'] = lastId;
    const response = await fetch('/v1/events', { headers, cache: 'no-store', signal: abort.signal });
    if (response.status === 401) return 'unauthorized';
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    onState('connected');
    const parser = new EventStreamParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      for (const event of parser.push(value)) {
        /** @type {unknown} */
        const change = JSON.parse(event.data);
        onChange(/** @type {Change} */ (change));
      }
      lastId = parser.lastId ?? lastId;
      retryMs = parser.retry ?? retryMs;
    }
  }

  void (async () => {
    let failures = 0;
    onState('connecting');
    while (!abort.signal.aborted) {
      try {
        if ((await connectOnce()) === 'unauthorized') return onUnauthorized();
        failures = 0;
      } catch {
        failures += 1;
      }
      if (abort.signal.aborted) return;
      onState('reconnecting');
      // Back off while the server stays away, up to half a minute.
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs * 2 ** failures, 30_000)));
    }
  })();

  return { stop: () => abort.abort() };
}
