/**
 * National portal sync (docs/interop.md): every receipt and status change writes an outbox row in
 * its own transaction; the sender delivers them to a local receiver standing in for the portal's
 * adapter. The receiver is down, then slow, then answers 500 and malformed bodies, then recovers:
 * every message arrives, once (after its acknowledgement, never again), in step order per dossier;
 * a sender stopped mid-way and a new one started (a restart) loses nothing; a message past its
 * attempts goes to the dead letter, and an official's re-send delivers it.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../../kit';
import { createTestDatabase, startTestSubgraph, callers } from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { dossiers } from '../subgraph';
import { createPortalSync } from '../sync/sender';
import type { PortalSyncOptions } from '../sync/sender';

type Mode = 'ok' | 'down' | 'slow' | 'error' | 'malformed';

interface Received {
  kind: string;
  key: string;
  code: string;
  status: number;
  auth: string | undefined;
}

/** The portal adapter: records every delivery it acknowledges, deduplicating by Idempotency-Key. */
class Receiver {
  mode: Mode = 'ok';
  readonly acknowledged: Received[] = [];
  readonly seenKeys = new Set<string>();
  attempts = 0;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    s?.closeAllConnections();
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.attempts++;
    let body = '';
    for await (const chunk of req) body += chunk;
    if (this.mode === 'slow') await new Promise((r) => setTimeout(r, 1_500));
    if (this.mode === 'error') return void res.writeHead(500).end('<html>Internal Server Error</html>');
    if (this.mode === 'malformed')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_');
    const key = String(req.headers['idempotency-key']);
    const item = (JSON.parse(body) as { data: Record<string, unknown>[] }).data[0]!;
    if (!this.seenKeys.has(key)) {
      this.seenKeys.add(key);
      this.acknowledged.push({
        kind: req.url!.split('/').at(-1)!,
        key,
        code: String(item.MaHoSo),
        status: Number(item.TrangThai ?? item.TrangThaiHoSo),
        auth: req.headers.authorization,
      });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":0,"message":"OK"}');
  }
}

let db: Database;
let sg: TestSubgraph;
const receiver = new Receiver();
let options: PortalSyncOptions;
const AGENCY = '000.00.46.H62'; // Lập Thạch, whose dossiers the seed has (before 1 July 2025)

beforeAll(async () => {
  db = await createTestDatabase();
  sg = await startTestSubgraph(dossiers, { db, scale: 0.05, caller: callers.official(AGENCY) });
  await receiver.start();
  options = {
    url: `http://127.0.0.1:${receiver.port}/dvcqg`,
    token: 'session-token-from-the-adapter',
    timeoutMs: 500,
    batch: 5,
    maxAttempts: 6,
    baseDelayMs: 1,
    maxDelayMs: 5,
    idleMs: 10,
  };
}, 180_000);
afterAll(async () => {
  await receiver.stop();
  await sg?.close();
});

const RECEIVE = `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`;
const ADVANCE = `mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { code status } }`;

async function newDossier(n: number): Promise<string> {
  const r = await sg.gql(RECEIVE, {
    i: {
      agencyCode: AGENCY,
      procedureCode: '1.000656',
      channel: 'TRUC_TIEP',
      summary: `Hồ sơ đồng bộ ${n}`,
      applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn Bình', idNumber: '026090000123' },
      receivedAt: `2025-03-03T0${n % 9}:1${n % 6}:00+07:00`,
    },
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.receiveDossier.code;
}

async function advance(code: string, status: string, hour: number): Promise<void> {
  const r = await sg.gql(ADVANCE, { i: { code, status, at: `2025-03-04T${hour}:00:00+07:00` } });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

const unsent = async () =>
  (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM portal_sync_outbox WHERE state <> 'SENT'`)
  )[0]!.n;

test('every step is delivered once, in order per dossier, through outages, slowness, 500s, malformed answers and a restart', async () => {
  const codes: string[] = [];
  for (let n = 1; n <= 4; n++) codes.push(await newDossier(n));
  for (const code of codes) await advance(code, 'DANG_XU_LY', 10);
  for (const code of codes.slice(0, 2)) await advance(code, 'YEU_CAU_BO_SUNG_GIAY_TO', 11);
  const expected = await db.query<{ code: string; n: number }>(
    `SELECT d.code, count(*)::int AS n FROM portal_sync_outbox o JOIN dossiers d ON d.id = o.dossier_id GROUP BY d.code`,
  );
  expect(Object.fromEntries(expected.map((e) => [e.code, e.n]))).toEqual(
    Object.fromEntries(codes.map((c, i) => [c, i < 2 ? 3 : 2])),
  );

  // Down: nothing acknowledged, every attempt recorded, nothing lost.
  await receiver.stop();
  const first = createPortalSync(db, options);
  expect(await first.runOnce()).toBe(0);
  expect(await unsent()).toBe(10);
  const [failed] = await db.query<{ lastError: string; attempts: number }>(
    `SELECT last_error AS "lastError", attempts FROM portal_sync_outbox WHERE attempts > 0 LIMIT 1`,
  );
  expect(failed!.lastError).toMatch(/^unreachable/);

  // Back, but slow (past the 500 ms bound), then 500s, then malformed answers: still nothing acknowledged.
  await receiver.start();
  const heads = async () =>
    (
      await db.query<{ e: string }>(
        `SELECT DISTINCT last_error AS e FROM portal_sync_outbox WHERE attempts > 0`,
      )
    ).map((r) => r.e);
  const why = {
    slow: 'no answer within 500 ms',
    error: 'HTTP 500',
    malformed: 'malformed answer (not JSON)',
  };
  for (const mode of ['slow', 'error', 'malformed'] as const) {
    receiver.mode = mode;
    await new Promise((r) => setTimeout(r, 20));
    await first.runOnce();
    expect(await heads()).toEqual([why[mode]]); // each dossier's first message, the only one ever tried
  }
  expect(receiver.acknowledged).toEqual([]);
  expect(await unsent()).toBe(10);

  // Recovered: one round with the first sender, then "restart" — a new sender over the same database.
  receiver.mode = 'ok';
  await new Promise((r) => setTimeout(r, 20));
  await first.runOnce();
  const second = createPortalSync(db, options);
  for (let i = 0; i < 20 && (await unsent()) > 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    await second.runOnce();
  }
  expect(await unsent()).toBe(0);
  // Once each: as many acknowledgements as outbox rows, no key twice.
  expect(receiver.acknowledged).toHaveLength(10);
  expect(new Set(receiver.acknowledged.map((a) => a.key)).size).toBe(10);
  expect(receiver.acknowledged.every((a) => a.auth === 'Bearer session-token-from-the-adapter')).toBe(true);
  // In order per dossier: receipt (2 DUOC_TIEP_NHAN, a full sync), then 4 DANG_XU_LY, then 5.
  for (const [i, code] of codes.entries()) {
    const mine = receiver.acknowledged.filter((a) => a.code === code);
    expect(mine.map((a) => `${a.kind}:${a.status}`)).toEqual(
      i < 2
        ? ['DongBoHoSoMC:2', 'CapNhatTienDoHoSoMC:4', 'CapNhatTienDoHoSoMC:5']
        : ['DongBoHoSoMC:2', 'CapNhatTienDoHoSoMC:4'],
    );
  }
  // Nothing goes again after its acknowledgement.
  const before = receiver.attempts;
  await second.runOnce();
  expect(receiver.attempts).toBe(before);
}, 60_000);

test('past its attempts a message goes to the dead letter and holds the dossier’s later ones; an official re-sends', async () => {
  const code = await newDossier(7);
  await advance(code, 'DANG_XU_LY', 12);
  receiver.mode = 'error';
  const sender = createPortalSync(db, options);
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 10));
    await sender.runOnce();
  }
  const SYNC = `query($c: ID!) { dossier(code: $c) { portalSync { state pending dead lastError messages { kind state attempts } } } }`;
  const seen = await sg.gql(SYNC, { c: code });
  expect(seen.data!.dossier.portalSync).toEqual({
    state: 'FAILED',
    pending: 2,
    dead: 1,
    lastError: 'HTTP 500',
    messages: [
      { kind: 'DongBoHoSoMC', state: 'DEAD', attempts: 6 },
      { kind: 'CapNhatTienDoHoSoMC', state: 'PENDING', attempts: 0 },
    ],
  });
  // The public and other agencies do not see the sync state.
  const other = await sg.gql(SYNC, { c: code }, callers.official('000.00.21.H26'));
  expect(other.data?.dossier?.portalSync ?? null).toBeNull();

  receiver.mode = 'ok';
  const resent = await sg.gql(
    `mutation($c: ID!) { resendPortalSync(code: $c) { portalSync { state pending dead } } }`,
    { c: code },
  );
  expect(resent.data!.resendPortalSync.portalSync).toEqual({ state: 'PENDING', pending: 2, dead: 0 });
  for (let i = 0; i < 5; i++) await sender.runOnce();
  const done = await sg.gql(SYNC, { c: code });
  expect(done.data!.dossier.portalSync).toMatchObject({ state: 'SENT', pending: 0, dead: 0 });
  expect(receiver.acknowledged.filter((a) => a.code === code).map((a) => a.kind)).toEqual([
    'DongBoHoSoMC',
    'CapNhatTienDoHoSoMC',
  ]);
}, 60_000);
