/**
 * A small HTTP fault proxy for the fault tests (faults.int.test.ts): it sits between the gateway
 * and a real subgraph, forwards requests as they are, and can be switched to misbehave like a
 * subgraph in trouble — slow, dead (connection refused: nothing listens on its port), an HTTP
 * error, HTML, malformed JSON, a huge body, a connection reset mid-body, or 503 with `Retry-After`
 * once. It records every request it receives and whether the caller closed the connection before
 * the answer was complete (a cancelled fetch).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; contentType: string; body: string; retryAfter?: string }
  | { kind: 'html' }
  | { kind: 'malformed' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'reset' }
  /** 503 with `Retry-After: <seconds>` to the next request, then back to passing. */
  | { kind: 'retryAfterOnce'; seconds: number };

export interface ProxiedRequest {
  /** The GraphQL document the gateway sent. */
  readonly query: string;
  readonly at: number;
  /** Set when the caller closed the connection before the proxy finished answering. */
  closedEarlyAt?: number;
}

export interface FaultProxy {
  /** The URL to give the gateway (SUBGRAPH_URL_<NAME>). */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  set(fault: Fault): void;
  /** Stops listening: connections to the port are refused until `revive()`. */
  kill(): Promise<void>;
  /** Listens on the same port again. */
  revive(): Promise<void>;
  close(): Promise<void>;
}

/** Text a leak check can look for: it must never reach a client. */
export const PROXY_SECRET = 'fault-proxy-secret-body';

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let query = '';
      try {
        query = String((JSON.parse(raw.toString()) as { query?: unknown }).query ?? '');
      } catch {
        query = '';
      }
      const record: ProxiedRequest = { query, at: Date.now() };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.closedEarlyAt = Date.now();
      });
      const current = fault;
      if (current.kind === 'retryAfterOnce') fault = { kind: 'pass' };
      void answer(current, req, res, raw);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers[name] = value;
    }
    try {
      const upstreamRes = await fetch(upstream, { method: 'POST', headers, body: body.toString() });
      const text = await upstreamRes.text();
      if (res.destroyed) return;
      res.writeHead(upstreamRes.status, {
        'content-type': upstreamRes.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch {
      res.destroy();
    }
  }

  async function answer(f: Fault, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    switch (f.kind) {
      case 'pass':
        return forward(req, res, body);
      case 'slow': {
        await new Promise((resolve) => setTimeout(resolve, f.delayMs));
        if (res.destroyed) return;
        return forward(req, res, body);
      }
      case 'status':
        res.writeHead(f.status, {
          'content-type': f.contentType,
          ...(f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {}),
        });
        return void res.end(f.body);
      case 'retryAfterOnce':
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': String(f.seconds) });
        return void res.end(`busy ${PROXY_SECRET}`);
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end(`<html><body>Maintenance ${PROXY_SECRET}</body></html>`);
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(`{"data": {"_entities": [${JSON.stringify(PROXY_SECRET)}`);
      case 'huge': {
        // Valid JSON, sent in chunks without a content-length: the gateway must stop reading it.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        res.write('{"data":{"_entities":[],"padding":"');
        for (let sent = 0; sent < f.bytes && !res.destroyed; sent += chunk.length) {
          if (!res.write(chunk)) await drained(res);
        }
        if (!res.destroyed) res.end('"}}');
        return;
      }
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        res.write(`{"data":{"_entities":[{"__typename":"Product","reviews":[{"body":"${PROXY_SECRET}`);
        setTimeout(() => res.socket?.resetAndDestroy(), 20);
        return;
    }
  }

  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen();

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    set: (next) => {
      fault = next;
    },
    kill: stop,
    revive: listen,
    close: stop,
  };
}

/** Resolves when `res` can take more data or is gone; leaves no listener behind. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
