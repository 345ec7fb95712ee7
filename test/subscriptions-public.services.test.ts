/**
 * The portal's live lookup (docs/subscriptions.md, "Public subscriptions"): an anonymous caller,
 * held to the portal's trusted documents, subscribes by hash to `dossierPublicStatusChanged(code)`
 * over graphql-sse (raw fetch streaming, as the page does) and over graphql-ws, and receives the
 * public status of that one dossier only — no event of another dossier, no personal data; the same
 * field without a code, or query text, is refused.
 */
import { readFileSync } from 'node:fs';
import { publish, subscriber } from './support/subscriptions';
import { eventOf, useSubscriptionStack } from './support/subscriptionStack';

const manifest = JSON.parse(readFileSync('clients/portal/manifest.json', 'utf8')) as Record<string, string>;
const LIVE = Object.keys(manifest).find((h) => manifest[h]!.startsWith('subscription DossierStatusLive'))!;

const S = useSubscriptionStack({ GATEWAY_TRUSTED_DOCUMENTS: 'portal=clients/portal/manifest.json' });

/** An SSE stream read with fetch: the `next` events' data as they come. */
function sse(body: Record<string, unknown>) {
  const abort = new AbortController();
  const received: any[] = [];
  const opened = fetch(`${S.stack.url}/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const done = opened.then(async (res) => {
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: next$/m.test(message)) received.push(JSON.parse(/^data: ?(.*)$/m.exec(message)![1]!));
        }
      }
    } catch {
      // aborted
    }
  });
  return { opened, received, done, stop: () => abort.abort() };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an anonymous caller watches one dossier by hash over SSE and graphql-ws: its public status, nothing else', async () => {
  const stream = sse({ documentId: `sha256:${LIVE}`, variables: { code: S.dossierA } });
  const ws = subscriber(S.wsUrl, undefined, {
    query: '',
    variables: { code: S.dossierA },
    extensions: { persistedQuery: { version: 1, sha256Hash: LIVE } },
  });
  S.open.push(ws);
  try {
    const res = await stream.opened;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // Until both are live: B's event never reaches them, A's does.
    for (let i = 0; i < 100 && (stream.received.length === 0 || ws.received.length === 0); i++) {
      await publish(S.redis, S.STREAM, eventOf(S.dossierB, 'B'));
      await publish(S.redis, S.STREAM, eventOf(S.dossierA, 'A'));
      await wait(200);
    }
    expect(ws.errors).toEqual([]);
    const all = [...stream.received, ...ws.received];
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const r of all) {
      expect(r.errors).toBeUndefined();
      const d = r.data.dossierPublicStatusChanged;
      expect(d.code).toBe(S.dossierA);
      expect(d.status).toBe('DUOC_TIEP_NHAN'); // the dossier as stored: the events were made up
      expect(d.procedure.code).toMatch(/^1\.000656/);
      expect(JSON.stringify(r)).not.toContain('Nguyễn Văn An');
    }
  } finally {
    stream.stop();
    await stream.done;
  }
});

test('the public field without a code, query text, or a hash the manifest lacks is refused before any stream', async () => {
  const text = manifest[LIVE]!;
  const free = await fetch(`${S.stack.url}/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      query: text.replace('DossierStatusLive', 'Other'),
      variables: { code: S.dossierA },
    }),
  });
  expect(free.status).toBe(400);
  expect(((await free.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  const unknown = await fetch(`${S.stack.url}/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}`, variables: {} }),
  });
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  const noCode = await fetch(`${S.stack.url}/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ documentId: `sha256:${LIVE}`, variables: {} }),
  });
  expect(noCode.status).toBe(400);
  expect(((await noCode.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
});
