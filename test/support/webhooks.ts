/**
 * Helpers of the webhooks services test (test/webhooks.services.test.ts): a receiver of the test's own
 * (node:http on 127.0.0.1) that records every POST and can be taken down and brought back on its port,
 * a domain-event envelope as the subgraphs write them, and a poll until a condition holds.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';

export interface Receipt {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The receiver: records every POST; `down()` closes its port (connections refused), `up()` reopens it. */
export function receiver(port: number) {
  const receipts: Receipt[] = [];
  let server: Server | null = null;
  return {
    receipts,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    async up() {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          receipts.push({ path: req.url ?? '', headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
    },
    async down() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}

export async function until<T>(
  what: string,
  f: () => Promise<T | undefined | null | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An envelope as docs/events.md describes it (its entity and data do not matter to matching). */
export function envelope(type: string, agencyPath: string[], citizenIds: string[] = []) {
  return {
    id: randomUUID(),
    type,
    source: type.startsWith('Dossier') ? 'dossiers' : 'documents',
    sequence: 1,
    recordedAt: new Date().toISOString(),
    entity: { typename: 'Dossier', key: { code: 'X' } },
    agencyCode: agencyPath[0]!,
    agencyPath,
    citizenIds,
    data: {},
  };
}
