/**
 * The org_root step of the national case (docs/citus.md "Status"): a database at the schema before it
 * (every migration before `org_root`), seeded and written to through the graph, is migrated by the real
 * migrations. Every row is kept (count and checksum of each table, less the new column), every row's
 * org_root is filled and is the province (the top of the agency tree) of the agency it belongs to, the
 * keys and foreign keys include it (read from pg_constraint), the subgraph answers the same, and new
 * writes — which do not name the column — get it from the triggers; a wrong one is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../kit/runtime/db';
import type { DatabaseModule } from '../kit/runtime/migrate';
import type { SubgraphModule } from '../kit/runtime/define';
import { callers, createTestDatabase, startTestPeers, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph, TestSubgraphOptions } from '../kit/testing';
import { documents } from '../subgraphs/documents/subgraph';
import { HANOI, ISSUE, THUONG_CAT, issueInput } from '../subgraphs/documents/test/support/documents';
import { dossiers } from '../subgraphs/dossiers/subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from '../subgraphs/dossiers/test/support/fixtures';
import { fingerprint, modulesBefore } from './support/schemaHistory';

/** The org_root step: these files and every later one of their namespace make the schema "after". */
const ORG_ROOT = ['catalogue/004_org_root.sql', 'dossiers/007_org_root.sql', 'documents/008_org_root.sql'];

const scratch = mkdtempSync(path.join(tmpdir(), 'govgraph-org-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const before = (modules: readonly DatabaseModule[]) => modulesBefore(modules, ORG_ROOT, scratch);

/** The province of every agency: the right-most group of the code at the top of its tree. */
const PROVINCES = `WITH RECURSIVE up(code, top) AS (
    SELECT code, code FROM agencies WHERE parent_code IS NULL
    UNION ALL SELECT a.code, up.top FROM agencies a JOIN up ON a.parent_code = up.code)
  SELECT code, substring(top FROM '[A-Z][0-9A-Z]{2}$') AS province FROM up`;

/**
 * Per table: its rows, how many have no org_root, and how many have one other than the province of
 * `agency` (an SQL expression over `t` and the joins in `from`).
 */
async function orgRoots(
  db: Database,
  checks: Record<string, { agency: string; from?: string }>,
): Promise<Record<string, { rows: number; missing: number; wrong: number }>> {
  const out: Record<string, { rows: number; missing: number; wrong: number }> = {};
  for (const [table, { agency, from = '' }] of Object.entries(checks)) {
    const [r] = await db.query<{ rows: number; missing: number; wrong: number }>(
      `WITH p AS (${PROVINCES})
       SELECT count(*)::int AS rows, count(*) FILTER (WHERE t.org_root IS NULL)::int AS missing,
              count(*) FILTER (WHERE t.org_root IS DISTINCT FROM p.province)::int AS wrong
         FROM ${table} t ${from} LEFT JOIN p ON p.code = ${agency}`,
    );
    out[table] = r!;
  }
  return out;
}

/** Primary keys, unique constraints and foreign keys of the tables, as pg_constraint defines them. */
async function keys(db: Database, tables: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ k: string }>(
    `SELECT c.relname || ' ' || k.conname || ': ' || pg_get_constraintdef(k.oid) AS k
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE c.relname = ANY($1::text[]) AND k.contype IN ('p', 'u', 'f') AND k.conparentid = 0
      ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.k);
}

/** A fresh database at the schema before the org_root step, seeded; `write` runs on it; then it stops. */
async function oldDatabase<L>(
  mod: SubgraphModule<L>,
  write: (sub: TestSubgraph) => Promise<void>,
  opts: TestSubgraphOptions = {},
) {
  const db = await createTestDatabase();
  const kept = Object.create(db, { close: { value: async () => undefined } }) as typeof db;
  const sub = await startTestSubgraph(
    { ...mod, databaseModules: before(mod.databaseModules) },
    { ...opts, db: kept, scale: 0.05 },
  );
  await write(sub);
  return { db, sub };
}

describe('dossiers', () => {
  const TABLES = [
    'dossiers',
    'dossier_keys',
    'dossier_steps',
    'dossier_supplements',
    'dossier_apologies',
    'portal_sync_outbox',
    'dossier_code_counters',
    'online_service_plans',
  ];
  const byDossier = { agency: 'd.agency_code', from: 'JOIN dossiers d ON d.id = t.dossier_id' };
  const CHECKS = {
    dossiers: { agency: 't.agency_code' },
    dossier_keys: { agency: 'd.agency_code', from: 'JOIN dossiers d ON d.id = t.id' },
    dossier_steps: byDossier,
    dossier_supplements: byDossier,
    dossier_apologies: byDossier,
    portal_sync_outbox: byDossier,
    dossier_code_counters: { agency: 't.agency_code' },
    online_service_plans: { agency: 't.agency_code' },
  };
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code dossierStats(period: $p, includeSubordinates: true) { carriedOver received resolved
      resolvedLate inProcessOverdue withdrawn onTimeRatio onlineRatio } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: LAP_THACH }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  const PLAN = `mutation($i: SetOnlineServicePlanInput!) { setOnlineServicePlan(input: $i) { year plannedServices } }`;
  let sub: TestSubgraph;
  afterAll(async () => {
    await sub?.close();
  });

  test('every row kept and given its province; keys include org_root; new writes fill it', async () => {
    let code = '';
    const official = callers.official(LAP_THACH);
    const old = await oldDatabase(dossiers, async (s) => {
      const r = await s.gql(RECEIVE, { input: receiveInput() }, official);
      expect(r.errors).toBeUndefined();
      code = r.data!.receiveDossier.code as string;
      const plan = await s.gql(
        PLAN,
        { i: { agencyCode: LAP_THACH, year: 2024, plannedServices: 40 } },
        official,
      );
      expect(plan.errors).toBeUndefined();
    });
    const oldDb = old.sub.adminDb;
    const rows = await fingerprint(oldDb, TABLES);
    for (const t of TABLES) expect(rows[t]).not.toMatch(/^0 rows/); // every table has rows to keep
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    await old.sub.close();

    sub = await startTestSubgraph(dossiers, { db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await fingerprint(db, TABLES, ['org_root'])).toEqual(rows);
    const filled = await orgRoots(db, CHECKS);
    for (const t of TABLES) {
      expect([t, filled[t]!.rows]).toEqual([t, Number(rows[t]!.split(' ')[0])]);
      expect([t, filled[t]!.missing, filled[t]!.wrong]).toEqual([t, 0, 0]);
    }
    // More than one province in the seed: the column is not one value everywhere.
    const roots = await db.query<{ org_root: string }>(`SELECT DISTINCT org_root FROM dossiers ORDER BY 1`);
    expect(roots.length).toBeGreaterThan(1);

    expect(await keys(db, TABLES)).toEqual([
      'dossier_apologies dossier_apologies_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_apologies dossier_apologies_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossier_code_counters dossier_code_counters_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'dossier_code_counters dossier_code_counters_pkey: PRIMARY KEY (agency_code, day, org_root)',
      'dossier_keys dossier_keys_code_key: UNIQUE (code, org_root)',
      'dossier_keys dossier_keys_dossier_fkey: FOREIGN KEY (id, received_at, org_root) REFERENCES dossiers(id, received_at, org_root) ON UPDATE CASCADE ON DELETE CASCADE',
      'dossier_keys dossier_keys_pkey: PRIMARY KEY (id, org_root)',
      'dossier_steps dossier_steps_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_steps dossier_steps_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossier_supplements dossier_supplements_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'dossier_supplements dossier_supplements_pkey: PRIMARY KEY (dossier_id, seq, org_root)',
      'dossiers dossiers_agency_code_fkey1: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'dossiers dossiers_pkey: PRIMARY KEY (id, received_at, org_root)',
      'dossiers dossiers_procedure_code_fkey1: FOREIGN KEY (procedure_code) REFERENCES procedures(code)',
      'online_service_plans online_service_plans_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'online_service_plans online_service_plans_pkey: PRIMARY KEY (agency_code, year, org_root)',
      'portal_sync_outbox portal_sync_outbox_dossier_id_fkey: FOREIGN KEY (dossier_id, org_root) REFERENCES dossier_keys(id, org_root)',
      'portal_sync_outbox portal_sync_outbox_dossier_id_step_seq_kind_key: UNIQUE (dossier_id, step_seq, kind, org_root)',
      'portal_sync_outbox portal_sync_outbox_pkey: PRIMARY KEY (id, org_root)',
    ]);

    // The same answers; the old dossier found by its code; new writes get their province.
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);
    const status = await sub.gql(`query($c: String!) { dossierStatus(code: $c) { status } }`, { c: code });
    expect(status).toEqual({ data: { dossierStatus: { status: 'DUOC_TIEP_NHAN' } } });
    const r = await sub.gql(RECEIVE, { input: receiveInput() }, official);
    expect(r.errors).toBeUndefined();
    const fresh = r.data!.receiveDossier.code as string;
    expect(fresh).not.toBe(code);
    const plan = await sub.gql(
      PLAN,
      { i: { agencyCode: LAP_THACH, year: 2024, plannedServices: 41 } },
      official,
    );
    expect(plan).toEqual({ data: { setOnlineServicePlan: { year: 2024, plannedServices: 41 } } });
    expect(
      await db.query(
        `SELECT 'dossiers' AS t, org_root FROM dossiers WHERE code = $1
         UNION ALL SELECT 'keys', org_root FROM dossier_keys WHERE code = $1
         UNION ALL SELECT 'steps', s.org_root FROM dossier_steps s JOIN dossier_keys k ON k.id = s.dossier_id WHERE k.code = $1
         UNION ALL SELECT 'outbox', o.org_root FROM portal_sync_outbox o JOIN dossier_keys k ON k.id = o.dossier_id WHERE k.code = $1
         UNION ALL SELECT 'counter', org_root FROM dossier_code_counters WHERE agency_code = $2 AND day = '2024-02-07'
         UNION ALL SELECT 'plan', org_root FROM online_service_plans WHERE agency_code = $2 AND year = 2024`,
        [fresh, LAP_THACH],
      ),
    ).toEqual(
      ['dossiers', 'keys', 'steps', 'outbox', 'counter', 'plan'].map((t) => ({ t, org_root: 'H62' })),
    );
    // The counter went on from the old one (the upsert still finds its key): the codes are consecutive.
    expect(Number(fresh.slice(-4))).toBe(Number(code.slice(-4)) + 1);

    // Below the application: a write naming a province other than its agency's is refused, and a step of
    // a dossier that does not exist is still a foreign-key violation (23503).
    await expect(
      db.query(
        `INSERT INTO dossier_code_counters (agency_code, day, last_seq, org_root) VALUES ($1, '2030-01-01', 1, 'H26')`,
        [LAP_THACH],
      ),
    ).rejects.toThrow(/dossier_code_counters_org_root/);
    await expect(
      db.query(
        `INSERT INTO dossier_steps (dossier_id, seq, at, official_name, unit_name, action, status)
         VALUES (-1, 1, now(), 'x', 'x', 'x', 'x')`,
      ),
    ).rejects.toMatchObject({
      code: '23503',
      message: expect.stringMatching(/dossier_steps_dossier_id_fkey/),
    });
  }, 300_000);
});

describe('documents', () => {
  const TABLES = [
    'documents',
    'document_keys',
    'document_recipients',
    'processing_assignments',
    'document_attachments',
    'document_traces',
    'number_sequences',
    'agency_numbering',
  ];
  // A child's province is its document's register holder's, not (for a recipient) the recipient's own.
  const byDocument = { agency: 'd.agency_code', from: 'JOIN documents d ON d.id = t.document_id' };
  const CHECKS = {
    documents: { agency: 't.agency_code' },
    document_keys: { agency: 't.agency_code' },
    document_recipients: byDocument,
    processing_assignments: byDocument,
    document_attachments: byDocument,
    document_traces: byDocument,
    number_sequences: { agency: 't.agency_code' },
    agency_numbering: { agency: 't.agency_code' },
  };
  const STATS = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) {
    ... on Agency { code documentStats(period: $p) { outgoingTotal outgoingElectronic incomingTotal
      incomingAssigned incomingOverdue digitallySigned } } } }`;
  const statsVars = {
    reps: [{ __typename: 'Agency', code: HANOI }],
    p: { from: '2024-01-01', to: '2024-12-31' },
  };
  const REGISTER = `mutation($i: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $i) {
    id arrivalNumber } }`;
  const incoming = (numberSymbol: string) => ({
    agencyCode: THUONG_CAT,
    issuerCode: HANOI,
    numberSymbol,
    issuedDate: '2026-03-02',
    receivedAt: '2026-03-03T08:00:00+07:00',
    subject: 'Quyết định về việc giao dự toán ngân sách năm 2026',
    electronic: true,
  });
  const ASSIGN = `mutation($i: AssignDocumentInput!) { assignDocument(input: $i) { id state } }`;
  const assign = (documentId: string) => ({
    i: { documentId, assigneeId: `${THUONG_CAT}/4`, role: 'CHU_TRI' },
  });
  let sub: TestSubgraph;
  let peers: Awaited<ReturnType<typeof startTestPeers>> | undefined;
  afterAll(async () => {
    await sub?.close();
    await peers?.close();
  });

  test('every row kept and given its province; keys include org_root; new writes fill it', async () => {
    // Issuing and assigning ask the mail subgraph about the officials: it runs for real.
    peers = await startTestPeers(['mail']);
    const withMail = { gatewayKeys: peers.gatewayKeys, peers: peers.peers };
    let firstArrival = 0;
    let firstIssued = 0;
    const old = await oldDatabase(
      documents,
      async (s) => {
        const out = await s.gql(ISSUE, { input: issueInput() }, callers.official(HANOI));
        expect(out.errors).toBeUndefined();
        firstIssued = out.data!.issueOutgoingDocument.number as number;
        const r = await s.gql(REGISTER, { i: incoming('77/QĐ-UBND') }, callers.official(THUONG_CAT));
        expect(r.errors).toBeUndefined();
        const a = await s.gql(
          ASSIGN,
          assign(r.data!.registerIncomingDocument.id as string),
          callers.official(THUONG_CAT),
        );
        expect(a.errors).toBeUndefined();
        firstArrival = r.data!.registerIncomingDocument.arrivalNumber as number;
        // No seeded document carries an edXML attachment or trace: one of each, as a received package leaves them.
        await s.adminDb.query(
          `INSERT INTO document_attachments (document_id, position, name, content_type, content_base64, byte_size)
         VALUES ($1, 1, 'qd.pdf', 'application/pdf', 'JVBERi0=', 5);
         `.trim(),
          [r.data!.registerIncomingDocument.id],
        );
        await s.adminDb.query(
          `INSERT INTO document_traces (document_id, position, organ_id, at) VALUES ($1, 1, $2, now())`,
          [r.data!.registerIncomingDocument.id, HANOI],
        );
      },
      withMail,
    );
    const oldDb = old.sub.adminDb;
    const rows = await fingerprint(oldDb, TABLES);
    for (const t of TABLES) expect(rows[t]).not.toMatch(/^0 rows/);
    const stats = await old.sub.gql(STATS, statsVars, callers.analyst);
    expect(stats.errors).toBeUndefined();
    await old.sub.close();

    sub = await startTestSubgraph(documents, { ...withMail, db: old.db, scale: 0 });
    const db = sub.adminDb;
    expect(await fingerprint(db, TABLES, ['org_root'])).toEqual(rows);
    const filled = await orgRoots(db, CHECKS);
    for (const t of TABLES) {
      expect([t, filled[t]!.rows]).toEqual([t, Number(rows[t]!.split(' ')[0])]);
      expect([t, filled[t]!.missing, filled[t]!.wrong]).toEqual([t, 0, 0]);
    }
    const roots = await db.query<{ org_root: string }>(`SELECT DISTINCT org_root FROM documents ORDER BY 1`);
    expect(roots.length).toBeGreaterThan(1);
    expect(await keys(db, TABLES)).toEqual([
      'agency_numbering agency_numbering_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'agency_numbering agency_numbering_pkey: PRIMARY KEY (agency_code, org_root)',
      'document_attachments document_attachments_document_id_fkey: FOREIGN KEY (document_id, org_root) REFERENCES document_keys(id, org_root) ON DELETE CASCADE',
      'document_attachments document_attachments_pkey: PRIMARY KEY (document_id, "position", org_root)',
      'document_keys document_keys_document_fkey: FOREIGN KEY (id, issued_date, org_root) REFERENCES documents(id, issued_date, org_root) ON UPDATE CASCADE ON DELETE CASCADE',
      'document_keys document_keys_pkey: PRIMARY KEY (id, org_root)',
      'document_recipients document_recipients_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'document_recipients document_recipients_document_id_fkey: FOREIGN KEY (document_id, org_root) REFERENCES document_keys(id, org_root) ON DELETE CASCADE',
      'document_recipients document_recipients_pkey: PRIMARY KEY (document_id, "position", org_root)',
      'document_traces document_traces_document_id_fkey: FOREIGN KEY (document_id, org_root) REFERENCES document_keys(id, org_root) ON DELETE CASCADE',
      'document_traces document_traces_pkey: PRIMARY KEY (document_id, "position", org_root)',
      'documents documents_agency_code_fkey1: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'documents documents_issuer_code_fkey1: FOREIGN KEY (issuer_code) REFERENCES agencies(code)',
      'documents documents_pkey: PRIMARY KEY (id, issued_date, org_root)',
      'number_sequences number_sequences_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
      'number_sequences number_sequences_pkey: PRIMARY KEY (agency_code, year, register, org_root)',
      'processing_assignments processing_assignments_document_id_fkey: FOREIGN KEY (document_id, org_root) REFERENCES document_keys(id, org_root) ON DELETE CASCADE',
      'processing_assignments processing_assignments_pkey: PRIMARY KEY (id, org_root)',
    ]);
    expect(await uniqueIndexes(db, 'document_keys')).toEqual([
      'CREATE UNIQUE INDEX document_keys_pkey ON public.document_keys USING btree (id, org_root)',
      "CREATE UNIQUE INDEX documents_arrival_unique ON public.document_keys USING btree (agency_code, arrival_year, arrival_number, org_root) WHERE (direction = 'INCOMING'::text)",
      "CREATE UNIQUE INDEX documents_exchange_received ON public.document_keys USING btree (agency_code, exchange_document_id, org_root) WHERE ((direction = 'INCOMING'::text) AND (exchange_document_id IS NOT NULL))",
      "CREATE UNIQUE INDEX documents_incoming_unique ON public.document_keys USING btree (agency_code, issuer_key, year, number_symbol, org_root) WHERE (direction = 'INCOMING'::text)",
      "CREATE UNIQUE INDEX documents_outgoing_unique ON public.document_keys USING btree (agency_code, year, number_symbol, org_root) WHERE (direction = 'OUTGOING'::text)",
    ]);

    // The same figures; the registers go on from their numbers; the same document again is a CONFLICT.
    expect(await sub.gql(STATS, statsVars, callers.analyst)).toEqual(stats);
    const out = await sub.gql(ISSUE, { input: issueInput() }, callers.official(HANOI));
    expect(out.errors).toBeUndefined();
    expect(out.data!.issueOutgoingDocument.number).toBe(firstIssued + 1);
    const r = await sub.gql(REGISTER, { i: incoming('78/QĐ-UBND') }, callers.official(THUONG_CAT));
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerIncomingDocument.arrivalNumber).toBe(firstArrival + 1);
    const again = await sub.gql(REGISTER, { i: incoming('78/QĐ-UBND') }, callers.official(THUONG_CAT));
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const id = r.data!.registerIncomingDocument.id as string;
    const a = await sub.gql(ASSIGN, assign(id), callers.official(THUONG_CAT));
    expect(a.errors).toBeUndefined();
    // A child written as the edXML receipt writes it, without the column.
    await db.query(
      `INSERT INTO document_traces (document_id, position, organ_id, at) VALUES ($1, 1, $2, now())`,
      [id, HANOI],
    );
    expect(
      await db.query(
        `SELECT 'documents' AS t, org_root FROM documents WHERE id = $1
         UNION ALL SELECT 'keys', org_root FROM document_keys WHERE id = $1
         UNION ALL SELECT 'assignment', org_root FROM processing_assignments WHERE document_id = $1
         UNION ALL SELECT 'trace', org_root FROM document_traces WHERE document_id = $1
         UNION ALL SELECT 'sequence', org_root FROM number_sequences WHERE agency_code = $2 AND year = 2026 AND register = 'DEN'
         UNION ALL SELECT 'outgoing', org_root FROM documents WHERE id = $3
         UNION ALL SELECT 'its sequence', org_root FROM number_sequences WHERE agency_code = $4 AND year = 2026 AND register = 'ALL'`,
        [id, THUONG_CAT, out.data!.issueOutgoingDocument.id, HANOI],
      ),
    ).toEqual(
      ['documents', 'keys', 'assignment', 'trace', 'sequence', 'outgoing', 'its sequence'].map((t) => ({
        t,
        org_root: 'H26',
      })),
    );

    // Below the application: a wrong province is refused; an attachment of no document is still 23503.
    await expect(
      db.query(`UPDATE documents SET agency_code = '000.00.00.H18' WHERE id = $1`, [id]),
    ).rejects.toThrow(/documents_org_root/);
    await expect(
      db.query(
        `INSERT INTO document_attachments (document_id, position, name, content_type, content_base64, byte_size)
         VALUES (-1, 1, 'x', 'x', 'x', 1)`,
      ),
    ).rejects.toMatchObject({
      code: '23503',
      message: expect.stringMatching(/document_attachments_document_id_fkey/),
    });
  }, 300_000);
});

/** Unique indexes of a table (the number keys of document_keys are indexes, not constraints). */
async function uniqueIndexes(db: Database, table: string): Promise<string[]> {
  const rows = await db.query<{ def: string }>(
    `SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
      WHERE x.indrelid = $1::regclass AND x.indisunique ORDER BY 1`,
    [table],
  );
  return rows.map((r) => r.def);
}
