/**
 * Partitioning by year converts an existing database in place (docs/database.md "Partitioning by
 * year"): a dossiers and a documents database are migrated to the schema before it (every migration
 * but the ones that partition), seeded and written to through the graph there, then migrated by the
 * real migrations. (The same conversion at 1M dossiers, compared by the same checksums, is in
 * docs/database.md.) Every row is still there, unchanged (count and checksum of each table, the audit
 * chain verifying to the same head), the ids go on from where they were, nothing fell into a default
 * partition, and the subgraph answers the same queries with the same figures and takes new mutations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyChain } from '../kit/runtime/auditlog';
import type { Database } from '../kit/runtime/db';
import type { DatabaseModule } from '../kit/runtime/migrate';
import { callers, createTestDatabase, startTestSubgraph } from '../kit/testing';
import type { TestDatabase, TestSubgraph } from '../kit/testing';
import type { SubgraphModule } from '../kit/runtime/define';
import { documents } from '../subgraphs/documents/subgraph';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from '../subgraphs/dossiers/test/support/fixtures';
import { fingerprint as rowsFingerprint, longestStayStandIn, modulesBefore } from './support/schemaHistory';

/**
 * The migrations that partition: the schema "before" is every migration before them (and before the
 * org_root step, which came after them: docs/citus.md).
 */
const PARTITIONING = [
  'audit/003_audit_log_partitioned.sql',
  'dossiers/006_dossiers_partitioned.sql',
  'documents/007_documents_partitioned.sql',
  'catalogue/004_org_root.sql',
];
/** Columns the later migrations add, left out of the rows compared. */
const ADDED = ['org_root'];

const scratch = mkdtempSync(path.join(tmpdir(), 'govgraph-partition-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const before = (modules: readonly DatabaseModule[]) => modulesBefore(modules, PARTITIONING, scratch);
const fingerprint = (db: Database, tables: string[]) => rowsFingerprint(db, tables, ADDED);

const relkinds = (db: Database, tables: string[]) =>
  db.query<{ relname: string; relkind: string }>(
    `SELECT relname, relkind FROM pg_class WHERE relname = ANY($1::text[]) ORDER BY relname`,
    [tables],
  );

/**
 * A subgraph started at the old schema on a fresh database, seeded; `write` runs against it, then it
 * stops. The database stays, for the next version to start on.
 */
async function oldDatabase<L>(
  mod: SubgraphModule<L>,
  write: (sub: TestSubgraph) => Promise<void>,
): Promise<{ db: TestDatabase; sub: TestSubgraph }> {
  const db = await createTestDatabase();
  const kept = Object.create(db, { close: { value: async () => undefined } }) as TestDatabase;
  const sub = await startTestSubgraph(
    { ...mod, databaseModules: before(mod.databaseModules) },
    { db: kept, scale: 0.05 },
  );
  await write(sub);
  return { db, sub };
}

describe('dossiers', () => {
  const TABLES = ['dossiers', 'dossier_steps', 'dossier_supplements', 'portal_sync_outbox', 'audit_log'];
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code dossierStats(period: $p, includeSubordinates: true) { carriedOver received resolved
      resolvedLate inProcessOverdue withdrawn onTimeRatio onlineRatio } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: LAP_THACH }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  let sub: TestSubgraph;

  afterAll(async () => {
    await sub?.close();
  });

  test('converted in place: every row kept, the chain verifies, the same answers, new writes', async () => {
    let receivedCode = '';
    const old = await oldDatabase(dossiers, async (s) => {
      // This checkout's code finds a dossier by code through dossier_keys (migration 006), which the
      // old schema lacks: a view stands in for it while the old database is written, and goes before
      // the conversion, which creates the table.
      await s.adminDb.query(`CREATE VIEW dossier_keys AS SELECT id, code, received_at FROM dossiers`);
      await s.adminDb.query(`GRANT SELECT ON dossier_keys TO PUBLIC`);
      await longestStayStandIn(s.adminDb);
      const r = await s.gql(RECEIVE, { input: receiveInput() }, callers.official(LAP_THACH));
      expect(r.errors).toBeUndefined();
      receivedCode = r.data!.receiveDossier.code as string;
      await s.adminDb.query(`DROP VIEW dossier_keys`);
    });
    const oldDb = old.sub.adminDb;
    expect(await relkinds(oldDb, ['dossiers', 'audit_log'])).toEqual([
      { relname: 'audit_log', relkind: 'r' },
      { relname: 'dossiers', relkind: 'r' },
    ]);
    const rows = await fingerprint(oldDb, TABLES);
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    const grid = (stats.data!._entities as { dossierStats: Record<string, number> }[])[0]!.dossierStats;
    expect(grid.received).toBeGreaterThan(0); // figures worth comparing
    const chain = await verifyChain(oldDb);
    expect(chain.ok).toBe(true);
    expect(chain.entries).toBeGreaterThan(0);
    const [{ maxId }] = (await oldDb.query<{ maxId: string }>(
      `SELECT max(id)::text AS "maxId" FROM dossiers`,
    )) as [{ maxId: string }];
    // The subgraph stops; the next version starts on the same database and migrates it.
    await old.sub.close();
    sub = await startTestSubgraph(dossiers, { db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await relkinds(db, ['dossiers', 'audit_log', 'dossier_keys'])).toEqual([
      { relname: 'audit_log', relkind: 'p' },
      { relname: 'dossier_keys', relkind: 'r' },
      { relname: 'dossiers', relkind: 'p' },
    ]);
    expect(await fingerprint(db, TABLES)).toEqual(rows);
    expect(await verifyChain(db)).toEqual(chain);
    // Every row in its year's partition: the defaults are empty.
    for (const t of ['dossiers_default', 'audit_log_default'])
      expect(await db.query(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
    const [{ n2013 }] = (await db.query<{ n2013: number }>(
      `SELECT count(*)::int AS n2013 FROM dossiers_2013`,
    )) as [{ n2013: number }];
    expect(n2013).toBeGreaterThan(0);

    // The same figures, the old dossier found by its code, and a new receipt numbered after the old ids.
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);
    const status = await sub.gql(`query($c: String!) { dossierStatus(code: $c) { status receivedAt } }`, {
      c: receivedCode,
    });
    expect(status).toEqual({
      data: { dossierStatus: { status: 'DUOC_TIEP_NHAN', receivedAt: '2024-02-07T03:00:00.000Z' } },
    });
    const r = await sub.gql(RECEIVE, { input: receiveInput() }, callers.official(LAP_THACH));
    expect(r.errors).toBeUndefined();
    const [fresh] = await db.query<{ id: string; inKeys: boolean }>(
      `SELECT d.id::text, EXISTS (SELECT 1 FROM dossier_keys k WHERE k.id = d.id AND k.code = d.code) AS "inKeys"
         FROM dossiers d WHERE code = $1`,
      [r.data!.receiveDossier.code],
    );
    expect(BigInt(fresh!.id)).toBe(BigInt(maxId) + 1n);
    expect(fresh!.inKeys).toBe(true);
    expect((await verifyChain(db)).ok).toBe(true);
    // A step for a dossier that does not exist is still refused by the foreign key.
    await expect(
      db.query(
        `INSERT INTO dossier_steps (dossier_id, seq, at, official_name, unit_name, action, status)
         VALUES (-1, 1, now(), 'x', 'x', 'x', 'x')`,
      ),
    ).rejects.toThrow(/dossier_steps_dossier_id_fkey/);
  }, 300_000);
});

describe('documents', () => {
  const TABLES = ['documents', 'document_recipients', 'processing_assignments', 'audit_log'];
  const BTL = '000.00.21.H26';
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code documentStats(period: $p) { outgoingTotal outgoingElectronic incomingTotal
      incomingAssigned incomingOverdue digitallySigned } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: BTL }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  const REGISTER = `mutation($i: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $i) {
    id arrivalNumber numberSymbol } }`;
  const incoming = (numberSymbol: string) => ({
    agencyCode: BTL,
    issuerCode: '000.00.00.H26',
    numberSymbol,
    issuedDate: '2024-12-20',
    receivedAt: '2024-12-21T08:00:00+07:00',
    subject: 'Quyết định về việc giao dự toán ngân sách năm 2025',
    electronic: true,
  });
  const official = callers.official(BTL);
  let sub: TestSubgraph;
  afterAll(async () => {
    await sub?.close();
  });

  test('converted in place: every row kept, the same figures, numbers still unique, new registrations', async () => {
    let first: { id: string; arrivalNumber: number } = { id: '', arrivalNumber: 0 };
    const old = await oldDatabase(documents, async (s) => {
      const r = await s.gql(REGISTER, { i: incoming('77/QĐ-UBND') }, official);
      expect(r.errors).toBeUndefined();
      first = r.data!.registerIncomingDocument as typeof first;
    });
    const rows = await fingerprint(old.sub.adminDb, TABLES);
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    const figures = (stats.data!._entities as { documentStats: Record<string, number> }[])[0]!.documentStats;
    expect(figures.outgoingTotal + figures.incomingTotal).toBeGreaterThan(0); // figures worth comparing
    const chain = await verifyChain(old.sub.adminDb);
    expect(chain.ok).toBe(true);
    await old.sub.close();

    sub = await startTestSubgraph(documents, { db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await relkinds(db, ['documents', 'document_keys'])).toEqual([
      { relname: 'document_keys', relkind: 'r' },
      { relname: 'documents', relkind: 'p' },
    ]);
    expect(await fingerprint(db, TABLES)).toEqual(rows);
    expect(await verifyChain(db)).toEqual(chain);
    expect(await db.query(`SELECT count(*)::int AS n FROM documents_default`)).toEqual([{ n: 0 }]);
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);

    // The register goes on: the next arrival number, a new id; the same document again is a CONFLICT.
    const next = await sub.gql(REGISTER, { i: incoming('78/QĐ-UBND') }, official);
    expect(next.errors).toBeUndefined();
    expect(next.data!.registerIncomingDocument.arrivalNumber).toBe(first.arrivalNumber + 1);
    expect(BigInt(next.data!.registerIncomingDocument.id as string)).toBeGreaterThan(BigInt(first.id));
    const again = await sub.gql(REGISTER, { i: incoming('78/QĐ-UBND') }, official);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // The keys document_keys keeps bite below the application too: an issued number taken twice.
    await expect(
      db.query(
        `INSERT INTO documents (direction, agency_code, issuer_name, number, organ_symbol, number_symbol, year,
           subject, issued_date, electronic, status, search_key, exact_key)
         SELECT direction, agency_code, issuer_name, number, organ_symbol, number_symbol, year, subject,
           issued_date + 1, electronic, status, search_key, exact_key
           FROM documents WHERE direction = 'OUTGOING' LIMIT 1`,
      ),
    ).rejects.toThrow(/documents_outgoing_unique/);
    expect((await verifyChain(db)).ok).toBe(true);
  }, 300_000);
});
