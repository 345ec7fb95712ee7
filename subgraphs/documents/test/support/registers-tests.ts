/** The documents data suite (data-suite.ts), part: Reads and who sees what: the published statistics, secret documents, the internal incoming register, who may write, the sessions' time zone. */
import { callers } from '../../../../kit/testing';
import { BTL, HANOI, ISSUE, issueInput } from './documents';
import type { DocumentsSuite } from './documents';
import type { Harness } from './harness';

export function registerTests(suite: DocumentsSuite): void {
  test('Bắc Từ Liêm 2014: 90% of outgoing documents exchanged electronically (published figure)', async () => {
    const r = await suite.h
      .gql(`{ agency(code: "${BTL}") { name documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) {
        outgoingTotal outgoingElectronic electronicRatio } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.agency.name).toBe('Ủy ban nhân dân quận Bắc Từ Liêm');
    expect(r.data!.agency.documentStats.electronicRatio).toBe(0.9);
    expect(r.data!.agency.documentStats.outgoingElectronic / r.data!.agency.documentStats.outgoingTotal).toBe(
      0.9,
    );
  });

  test('documentStats agree with the rows the list query returns', async () => {
    const period = { from: '2016-01-01', to: '2016-12-31' };
    const stats = await suite.h.gql(
      `query($p: PeriodInput!) { agency(code: "${HANOI}") { documentStats(period: $p) { outgoingTotal outgoingElectronic } } }`,
      { p: period },
    );
    let after: string | null = null;
    let total = 0;
    let electronic = 0;
    do {
      const page: any = await suite.h.gql(
        `query($f: DocumentFilter, $after: String) { documents(filter: $f, first: 100, after: $after) {
            nodes { electronic } pageInfo { hasNextPage endCursor } } }`,
        {
          f: { agencyCode: HANOI, direction: 'OUTGOING', issuedFrom: period.from, issuedTo: period.to },
          after,
        },
      );
      total += page.data.documents.nodes.length;
      electronic += page.data.documents.nodes.filter((n: { electronic: boolean }) => n.electronic).length;
      after = page.data.documents.pageInfo.hasNextPage ? page.data.documents.pageInfo.endCursor : null;
    } while (after);
    expect(total).toBe(1);
    expect(stats.data!.agency.documentStats).toEqual({
      outgoingTotal: total,
      outgoingElectronic: electronic,
    });
  });

  test('secret documents exist in the register but are never returned', async () => {
    const secret = await suite.h.db.query<{
      id: number;
      number_symbol: string;
      agency_code: string;
      year: number;
    }>(
      `SELECT id, number_symbol, agency_code, year FROM documents WHERE secrecy <> 'THUONG' ORDER BY id LIMIT 1`,
    );
    expect(secret).toHaveLength(1);
    const s = secret[0]!;
    // To anyone: not even an admin or an official of the issuing agency gets one.
    for (const caller of [
      callers.analyst,
      callers.admin,
      callers.official(s.agency_code),
      callers.anonymous,
    ]) {
      const r = await suite.h.gql(
        `query($id: ID!, $a: ID!, $y: Int!, $n: String!, $rep: [_Any!]!) {
            document(id: $id) { id }
            documentByNumber(agencyCode: $a, year: $y, numberSymbol: $n) { id }
            _entities(representations: $rep) { ... on Document { id } }
            documents(filter: { agencyCode: $a }, first: 100) { nodes { id } }
          }`,
        {
          id: String(s.id),
          a: s.agency_code,
          y: s.year,
          n: s.number_symbol,
          rep: [{ __typename: 'Document', id: String(s.id) }],
        },
        caller,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data).toMatchObject({ document: null, documentByNumber: null, _entities: [null] });
      expect(r.data!.documents.nodes.map((n: { id: string }) => n.id)).not.toContain(String(s.id));
    }
  });

  test('the incoming register and its processing are internal: the public reads issued documents only', async () => {
    const [incoming] = await suite.h.db.query<{ id: number; agency_code: string }>(
      `SELECT d.id, d.agency_code FROM public_documents d WHERE d.direction = 'INCOMING'
           AND EXISTS (SELECT 1 FROM processing_assignments a WHERE a.document_id = d.id) ORDER BY d.id LIMIT 1`,
    );
    const Q = `query($id: ID!) { document(id: $id) { id direction assignments { state } } }`;
    const own = await suite.h.gql(Q, { id: String(incoming!.id) }, callers.official(incoming!.agency_code));
    expect(own.errors).toBeUndefined();
    expect(own.data!.document.assignments).toHaveLength(1);
    const anonymous = await suite.h.gql(Q, { id: String(incoming!.id) }, callers.anonymous);
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data!.document).toBeNull();
    const other = await suite.h.gql(Q, { id: String(incoming!.id) }, callers.official('000.00.94.H18'));
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const noScope = await suite.h.gql(
      Q,
      { id: String(incoming!.id) },
      callers.partner(incoming!.agency_code, 'dossiers:read'),
    );
    expect(noScope.errors![0]!.message).toContain('documents:read');
    // Lists: the public sees only outgoing documents; an official its own incoming ones as well.
    const LIST = `{ documents(first: 100) { nodes { direction agency { code } assignments { state } } } }`;
    const pub = await suite.h.gql(LIST, {}, callers.citizen('001085012345'));
    expect(pub.errors).toBeUndefined();
    expect(pub.data!.documents.nodes).toHaveLength(100);
    for (const n of pub.data!.documents.nodes) {
      expect(n.direction).toBe('OUTGOING');
      expect(n.assignments).toEqual([]);
    }
    const mine = await suite.h.gql(
      `query($a: ID!) { documents(first: 100, filter: { direction: INCOMING, agencyCode: $a }) { nodes { agency { code } } } }`,
      { a: incoming!.agency_code },
      callers.official(incoming!.agency_code),
    );
    expect(mine.data!.documents.nodes).toHaveLength(5);
    const theirs = await suite.h.gql(
      `query($a: ID!) { documents(first: 100, filter: { direction: INCOMING, agencyCode: $a }) { nodes { id } } }`,
      { a: incoming!.agency_code },
      callers.official('000.00.94.H18'),
    );
    expect(theirs.data!.documents.nodes).toEqual([]);
  });

  test('writes need an official of the agency concerned; nothing is written otherwise', async () => {
    const before = await suite.h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
    const refusals: [Parameters<Harness['gql']>[2], string][] = [
      [callers.anonymous, 'UNAUTHENTICATED'],
      [callers.citizen('001085012345'), 'FORBIDDEN'],
      [callers.admin, 'FORBIDDEN'],
      [callers.official(BTL), 'FORBIDDEN'], // a district cannot issue for its province
    ];
    for (const [caller, code] of refusals) {
      const r = await suite.h.gql(ISSUE, { input: issueInput() }, caller);
      expect(r.data).toBeNull();
      expect(r.errors![0]!.extensions).toMatchObject({ code, field: 'input.agencyCode' });
      expect(r.errors![0]!.message).toContain(HANOI);
    }
    const [incoming] = await suite.h.db.query<{ id: number; agency_code: string }>(
      `SELECT id, agency_code FROM public_documents WHERE direction = 'INCOMING' ORDER BY id LIMIT 1`,
    );
    const assign = await suite.h.gql(
      `mutation($i: AssignDocumentInput!) { assignDocument(input: $i) { id } }`,
      { i: { documentId: String(incoming!.id), assigneeId: '000.00.94.H18/4', role: 'PHOI_HOP' } },
      callers.official('000.00.94.H18'),
    );
    expect(assign.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.documentId' });
    expect(await suite.h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents')).toEqual(before);
  });

  test('database sessions run in Vietnam time (dates of instants are local dates)', async () => {
    const rows = await suite.h.db.query(`SELECT current_setting('TimeZone') AS tz`);
    expect(rows).toEqual([{ tz: 'Asia/Ho_Chi_Minh' }]);
  });
}
