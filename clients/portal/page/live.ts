/**
 * A subscription of the portal's trusted documents over graphql-sse (its "distinct connections"
 * protocol, docs/subscriptions.md) with nothing but `fetch` streaming: `POST /graphql/stream` with
 * `Accept: text/event-stream` and the document's hash as `documentId`; the response is a stream of
 * `next` events (one result each, in `data`) and a final `complete`. No library, nothing off the
 * gateway's origin.
 */
import { hashOf } from './trusted';

export interface LiveHandlers<T> {
  /** The stream is open: the gateway accepted the subscription. */
  opened(): void;
  /** One result's `data`. */
  next(data: T): void;
  /** The stream failed or ended (network, refusal, shutdown): the caller falls back to asking. */
  failed(reason: string): void;
}

/** Subscribes to the trusted document `operation`; the returned function stops it. */
export function subscribe<T>(
  operation: string,
  variables: Record<string, unknown>,
  on: LiveHandlers<T>,
): () => void {
  const abort = new AbortController();
  let stopped = false;
  const fail = (reason: string) => {
    if (!stopped) on.failed(reason);
    stopped = true;
  };
  void (async () => {
    let res: Response;
    try {
      res = await fetch('/graphql/stream', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'graphql-client-name': 'portal',
        },
        body: JSON.stringify({ documentId: `sha256:${hashOf(operation)}`, variables }),
        signal: abort.signal,
      });
    } catch {
      return fail('network');
    }
    if (!res.ok || !res.body || !res.headers.get('content-type')?.startsWith('text/event-stream'))
      return fail(`HTTP ${res.status}`);
    on.opened();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(message)?.[1];
          const data = message
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).replace(/^ /, ''))
            .join('\n');
          if (event === 'complete') return fail('complete');
          if (event !== 'next' || !data) continue;
          const result = JSON.parse(data) as { data?: T | null };
          if (result.data) on.next(result.data);
        }
      }
    } catch {
      // aborted, or the connection dropped
    }
    fail('closed');
  })();
  return () => {
    stopped = true;
    abort.abort();
  };
}
