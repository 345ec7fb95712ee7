/**
 * The org_root step of the national case (docs/citus.md "Status") on the documents family: a database at the schema
 * before it, seeded and written to through the graph, is migrated by the real migrations. Every row is
 * kept (count and checksum of each table, less the new column), every row's org_root is filled and is
 * the province (the top of the agency tree) of the agency it belongs to, the keys and foreign keys
 * include it (read from pg_constraint), the subgraph answers the same, and new writes — which do not
 * name the column — get it from the triggers; a wrong one is refused.
 */
import { callers, startTestPeers, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { documents } from '../subgraphs/documents/subgraph';
import { HANOI, ISSUE, THUONG_CAT, issueInput } from '../subgraphs/documents/test/support/documents';
import { keys, oldDatabase, orgRoots, uniqueIndexes } from './support/orgRoot';
import { fingerprint } from './support/schemaHistory';

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
