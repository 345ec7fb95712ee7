/**
 * `npm run bench:portal-sync`: the national portal sync sender's throughput (docs/interop.md quotes
 * it). A throw-away dossiers database on the PostgreSQL server at TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), seeded at BENCH_SCALE (0.2); every step of the seeded
 * dossiers is put in the outbox; a local receiver acknowledges at once (so the figure is the sender's
 * own cost: claim, build, POST, mark) after BENCH_RECEIVER_MS of simulated portal latency (0). The
 * outbox is drained with batches of 1, 20 and 50 and each is timed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, startTestSubgraph } from '../kit/testing';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { createPortalSync, DEFAULT_SYNC_OPTIONS } from '../subgraphs/dossiers/sync/sender';

const scale = Number(process.env.BENCH_SCALE ?? 0.2);
const latencyMs = Number(process.env.BENCH_RECEIVER_MS ?? 0);
const LIMIT = Number(process.env.BENCH_MESSAGES ?? 3000);

async function main(): Promise<void> {
  const db = await createTestDatabase('server');
  const sg = await startTestSubgraph(dossiers, { db, scale });
  let acknowledged = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      acknowledged++;
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":0}'),
        latencyMs,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const batch of [1, 20, 50]) {
      await db.query(`TRUNCATE portal_sync_outbox`);
      await db.query(
        `INSERT INTO portal_sync_outbox (dossier_id, step_seq, kind)
         SELECT dossier_id, seq, CASE WHEN seq = 1 THEN 'DongBoHoSoMC' ELSE 'CapNhatTienDoHoSoMC' END
         FROM dossier_steps ORDER BY dossier_id, seq LIMIT $1`,
        [LIMIT],
      );
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM portal_sync_outbox`);
      const sender = createPortalSync(db, { ...DEFAULT_SYNC_OPTIONS, url, token: 'bench', batch });
      acknowledged = 0;
      const started = process.hrtime.bigint();
      let sent = 0;
      while (sent < n) sent += await sender.runOnce();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `batch ${String(batch).padStart(2)}: ${n} messages in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} messages/s (receiver saw ${acknowledged})`,
      );
    }
  } finally {
    server.close();
    await sg.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
