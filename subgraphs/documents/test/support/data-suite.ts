/**
 * The documents subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and
 * against a PostgreSQL server given by URL (data.services.test.ts): same SQL, same answers.
 */
import { exactKey, foldKey } from '../../../../kit';
import { syntheticOfficial } from '../../../../kit/synthetic';
import type { Database } from '../../../../kit';
import { nextNumber } from '../../db/writes';
import { callers } from '../../../../kit/testing';
import { openHarness } from './harness';
import type { Harness } from './harness';

const BTL = '000.00.21.H26'; // Ủy ban nhân dân quận Bắc Từ Liêm
const HANOI = '000.00.00.H26';
const THUONG_CAT = '000.00.43.H26'; // Ủy ban nhân dân phường Thượng Cát, from 1 July 2025
const BA_DINH = '000.00.01.H26'; // Ủy ban nhân dân quận Ba Đình (2008 – 30 June 2025)

const ISSUE = `mutation Issue($input: IssueOutgoingDocumentInput!) {
  issueOutgoingDocument(input: $input) { id number numberSymbol exchangeId year: issuedDate docType { code name } recipients { name agency { code } } }
}`;
const issueInput = (over: Record<string, unknown> = {}) => ({
  agencyCode: HANOI,
  typeCode: 'QĐ',
  subject: 'Quyết định về việc phê duyệt Kế hoạch chuyển đổi số năm 2026',
  issuedDate: '2026-03-02',
  // The chairperson of the issuing agency (official 1 of every agency in the directory, kit/synthetic/people.ts).
  signer: { officialId: `${String(over.agencyCode ?? HANOI)}/1`, position: 'Chủ tịch', competence: 'TM.' },
  electronic: true,
  digitallySigned: true,
  ...over,
});

const DAY_MS = 86_400_000;
/** The Vietnamese date `days` days before now. */
const daysAgo = (days: number): string =>
  new Date(Date.now() - days * DAY_MS + 7 * 3_600_000).toISOString().slice(0, 10);

interface Found {
  id: string;
  subject: string;
  numberSymbol: string;
  issuer: { name: string } | null;
}
/** What search reads of a document (writes.ts `searchKeys`), as far as the API shows it. */
const searchableText = (n: Found): string => `${n.numberSymbol} ${n.subject} ${n.issuer?.name ?? ''}`;

export function documentsDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`documents data (${label})`, () => {
    let h: Harness;
    // Reads as an analyst (every register, see harness.ts). Writes as an official of the agency
    // concerned: the issuing agency, or Bắc Từ Liêm, whose incoming register the tests fill.
    const issue = (v: { input: Record<string, unknown> }) =>
      h.gql(ISSUE, v, callers.official(String(v.input.agencyCode)));
    const asBtl = (q: string, v: Record<string, unknown>) => h.gql(q, v, callers.official(BTL));
    /** Every result of a search, in order (pages of 100). */
    const searchAll = async (query: string): Promise<Found[]> => {
      const found: Found[] = [];
      let after: string | null = null;
      do {
        const p: any = await h.gql(
          `query($q: String!, $a: String) { searchDocuments(query: $q, first: 100, after: $a) {
            nodes { id subject numberSymbol issuer { name } } pageInfo { hasNextPage endCursor } } }`,
          { q: query, a: after },
        );
        expect(p.errors).toBeUndefined();
        found.push(...p.data.searchDocuments.nodes);
        after = p.data.searchDocuments.pageInfo.hasNextPage
          ? p.data.searchDocuments.pageInfo.endCursor
          : null;
      } while (after && found.length < 5000);
      return found;
    };
    beforeAll(async () => {
      h = await openHarness(await open());
    }, 120_000);
    afterAll(async () => h?.close());

    test('Bắc Từ Liêm 2014: 90% of outgoing documents exchanged electronically (published figure)', async () => {
      const r =
        await h.gql(`{ agency(code: "${BTL}") { name documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) {
        outgoingTotal outgoingElectronic electronicRatio } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!.agency.name).toBe('Ủy ban nhân dân quận Bắc Từ Liêm');
      expect(r.data!.agency.documentStats.electronicRatio).toBe(0.9);
      expect(
        r.data!.agency.documentStats.outgoingElectronic / r.data!.agency.documentStats.outgoingTotal,
      ).toBe(0.9);
    });

    test('documentStats agree with the rows the list query returns', async () => {
      const period = { from: '2016-01-01', to: '2016-12-31' };
      const stats = await h.gql(
        `query($p: PeriodInput!) { agency(code: "${HANOI}") { documentStats(period: $p) { outgoingTotal outgoingElectronic } } }`,
        { p: period },
      );
      let after: string | null = null;
      let total = 0;
      let electronic = 0;
      do {
        const page: any = await h.gql(
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
      expect(total).toBeGreaterThan(0);
      expect(stats.data!.agency.documentStats).toEqual({
        outgoingTotal: total,
        outgoingElectronic: electronic,
      });
    });

    test('secret documents exist in the register but are never returned', async () => {
      const secret = await h.db.query<{
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
        const r = await h.gql(
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
      const [incoming] = await h.db.query<{ id: number; agency_code: string }>(
        `SELECT d.id, d.agency_code FROM public_documents d WHERE d.direction = 'INCOMING'
           AND EXISTS (SELECT 1 FROM processing_assignments a WHERE a.document_id = d.id) ORDER BY d.id LIMIT 1`,
      );
      const Q = `query($id: ID!) { document(id: $id) { id direction assignments { state } } }`;
      const own = await h.gql(Q, { id: String(incoming!.id) }, callers.official(incoming!.agency_code));
      expect(own.errors).toBeUndefined();
      expect(own.data!.document.assignments.length).toBeGreaterThan(0);
      const anonymous = await h.gql(Q, { id: String(incoming!.id) }, callers.anonymous);
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data!.document).toBeNull();
      const other = await h.gql(Q, { id: String(incoming!.id) }, callers.official('000.00.94.H18'));
      expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const noScope = await h.gql(
        Q,
        { id: String(incoming!.id) },
        callers.partner(incoming!.agency_code, 'dossiers:read'),
      );
      expect(noScope.errors![0]!.message).toContain('documents:read');
      // Lists: the public sees only outgoing documents; an official its own incoming ones as well.
      const LIST = `{ documents(first: 100) { nodes { direction agency { code } assignments { state } } } }`;
      const pub = await h.gql(LIST, {}, callers.citizen('001085012345'));
      expect(pub.errors).toBeUndefined();
      expect(pub.data!.documents.nodes.length).toBeGreaterThan(0);
      for (const n of pub.data!.documents.nodes) {
        expect(n.direction).toBe('OUTGOING');
        expect(n.assignments).toEqual([]);
      }
      const mine = await h.gql(
        `query($a: ID!) { documents(first: 100, filter: { direction: INCOMING, agencyCode: $a }) { nodes { agency { code } } } }`,
        { a: incoming!.agency_code },
        callers.official(incoming!.agency_code),
      );
      expect(mine.data!.documents.nodes.length).toBeGreaterThan(0);
      const theirs = await h.gql(
        `query($a: ID!) { documents(first: 100, filter: { direction: INCOMING, agencyCode: $a }) { nodes { id } } }`,
        { a: incoming!.agency_code },
        callers.official('000.00.94.H18'),
      );
      expect(theirs.data!.documents.nodes).toEqual([]);
    });

    test('writes need an official of the agency concerned; nothing is written otherwise', async () => {
      const before = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
      const refusals: [Parameters<Harness['gql']>[2], string][] = [
        [callers.anonymous, 'UNAUTHENTICATED'],
        [callers.citizen('001085012345'), 'FORBIDDEN'],
        [callers.admin, 'FORBIDDEN'],
        [callers.official(BTL), 'FORBIDDEN'], // a district cannot issue for its province
      ];
      for (const [caller, code] of refusals) {
        const r = await h.gql(ISSUE, { input: issueInput() }, caller);
        expect(r.data).toBeNull();
        expect(r.errors![0]!.extensions).toMatchObject({ code, field: 'input.agencyCode' });
        expect(r.errors![0]!.message).toContain(HANOI);
      }
      const [incoming] = await h.db.query<{ id: number; agency_code: string }>(
        `SELECT id, agency_code FROM public_documents WHERE direction = 'INCOMING' ORDER BY id LIMIT 1`,
      );
      const assign = await h.gql(
        `mutation($i: AssignDocumentInput!) { assignDocument(input: $i) { id } }`,
        { i: { documentId: String(incoming!.id), assigneeId: '000.00.94.H18/4', role: 'PHOI_HOP' } },
        callers.official('000.00.94.H18'),
      );
      expect(assign.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.documentId' });
      expect(await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents')).toEqual(before);
    });

    test('search ignores case and accents, and ranks exact-accent matches first', async () => {
      const folded = await h.gql(
        `{ searchDocuments(query: "THU DIEN TU cong vu", first: 5) { nodes { subject } } }`,
      );
      expect(folded.data!.searchDocuments.nodes.length).toBeGreaterThan(0);
      for (const n of folded.data!.searchDocuments.nodes) expect(n.subject).toContain('thư điện tử công vụ');
      // Tone placement: "Hoà" and "Hòa" are the same word.
      await issue({ input: issueInput({ subject: 'Quyết định về việc khen thưởng xã Hoà Bình' }) });
      await issue({ input: issueInput({ subject: 'Quyết định về việc khen thưởng xã Hoa Binh cũ' }) });
      const ranked = await h.gql(`{ searchDocuments(query: "Hòa Bình", first: 10) { nodes { subject } } }`);
      const subjects = ranked.data!.searchDocuments.nodes.map((n: { subject: string }) => n.subject);
      expect(subjects[0]).toBe('Quyết định về việc khen thưởng xã Hoà Bình');
      expect(subjects).toContain('Quyết định về việc khen thưởng xã Hoa Binh cũ');
      // Page by page (one per page) the order is the same and nothing repeats across the rank boundary.
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const p: any = await h.gql(
          `query($a: String) { searchDocuments(query: "Hòa Bình", first: 1, after: $a) { nodes { subject } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        paged.push(...p.data.searchDocuments.nodes.map((n: { subject: string }) => n.subject));
        after = p.data.searchDocuments.pageInfo.hasNextPage
          ? p.data.searchDocuments.pageInfo.endCursor
          : null;
      } while (after && paged.length < 50);
      expect(paged).toEqual(subjects);
    });

    test('database sessions run in Vietnam time (dates of instants are local dates)', async () => {
      const rows = await h.db.query(`SELECT current_setting('TimeZone') AS tz`);
      expect(rows).toEqual([{ tz: 'Asia/Ho_Chi_Minh' }]);
    });

    test('search matches whole syllables: "Hòa" finds Hòa, Hoà and hoa, never "Kế hoạch"', async () => {
      const issueNamed = async (subject: string): Promise<string> => {
        const r = await issue({ input: issueInput({ issuedDate: '2026-04-01', subject }) });
        expect(r.errors).toBeUndefined();
        return r.data!.issueOutgoingDocument.id;
      };
      const hoaGiai = await issueNamed('Quyết định thành lập Tổ Hòa giải cơ sở');
      const hoaAn = await issueNamed('Quyết định khen thưởng thôn Hoà An');
      const hoaBan = await issueNamed('Quyết định tổ chức lễ hội hoa ban');
      const keHoach = await issueNamed('Quyết định ban hành Kế hoạch phòng, chống thiên tai');
      const all = await searchAll('Hòa');
      const ids = all.map((n) => n.id);
      expect(ids).toEqual(expect.arrayContaining([hoaGiai, hoaAn, hoaBan]));
      expect(ids).not.toContain(keHoach);
      // Every result has the syllable, exact-accent ones (hòa, hoà) first and then the folded ones.
      const exact = all.map((n) => ` ${exactKey(searchableText(n))} `.includes(' hòa '));
      for (const n of all) expect(` ${foldKey(searchableText(n))} `).toContain(' hoa ');
      expect(exact).toEqual([...exact].sort((a, b) => Number(b) - Number(a)));
      expect(exact[ids.indexOf(hoaBan)]).toBe(false);
      expect(exact[ids.indexOf(hoaGiai)]).toBe(true);
      // The seeded corpus is full of "Kế hoạch", so the regression above is a real one.
      expect((await searchAll('kế hoạch')).length).toBeGreaterThan(10);
      // Page by page (7 at a time) across the rank boundary: the same order, nothing repeated.
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const p: any = await h.gql(
          `query($a: String) { searchDocuments(query: "Hòa", first: 7, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        paged.push(...p.data.searchDocuments.nodes.map((n: { id: string }) => n.id));
        after = p.data.searchDocuments.pageInfo.hasNextPage
          ? p.data.searchDocuments.pageInfo.endCursor
          : null;
      } while (after && paged.length < 2000);
      expect(paged).toEqual(ids);
    });

    test('consecutive query syllables match consecutive syllables (a phrase)', async () => {
      const ids = async (q: string): Promise<string[]> => (await searchAll(q)).map((n) => n.id);
      const [doc] = await ids('Tổ Hòa giải cơ sở');
      expect(doc).toBeDefined();
      expect(await ids('hoa giai')).toContain(doc);
      expect(await ids('giải hòa')).not.toContain(doc);
      expect(await ids('Hòa cơ sở')).not.toContain(doc);
    });

    test('search reaches the number/symbol, punctuation separating syllables', async () => {
      const r = await issue({
        input: issueInput({ issuedDate: '2026-04-02', subject: 'Quyết định về việc điều động cán bộ' }),
      });
      const { id, numberSymbol } = r.data!.issueOutgoingDocument;
      expect(numberSymbol).toMatch(/^\d+\/QĐ-UBND$/);
      const filter = { agencyCode: HANOI, issuedFrom: '2026-04-02', issuedTo: '2026-04-02' };
      const found = async (q: string): Promise<string[]> => {
        const s = await h.gql(
          `query($q: String!, $f: DocumentFilter) { searchDocuments(query: $q, filter: $f, first: 50) { nodes { id } } }`,
          { q, f: filter },
        );
        expect(s.errors).toBeUndefined();
        return s.data!.searchDocuments.nodes.map((n: { id: string }) => n.id);
      };
      expect(await found(numberSymbol)).toEqual([id]);
      expect(await found('QĐ-UBND')).toEqual([id]);
      expect(await found('qd ubnd')).toEqual([id]);
      expect(await found(`${numberSymbol.split('/')[0]}/TB-UBND`)).toEqual([]);
      // Without a filter the number/symbol is the first exact match of its phrase everywhere.
      const everywhere = await searchAll(numberSymbol);
      expect(everywhere.map((n) => n.id)).toContain(id);
      for (const n of everywhere)
        expect(` ${foldKey(searchableText(n))} `).toContain(` ${foldKey(numberSymbol)} `);
    });

    test('search reaches the issuing agency name: "Điện Biên" finds what Điện Biên issued', async () => {
      const H18 = '000.00.00.H18'; // Ủy ban nhân dân tỉnh Điện Biên
      const q = `query($q: String!, $f: DocumentFilter) {
        searchDocuments(query: $q, filter: $f, first: 30) { nodes { id issuer { code name } } }
        documents(filter: $f, first: 30) { nodes { id } } }`;
      const f = { agencyCode: H18, direction: 'OUTGOING' };
      const r = await h.gql(q, { q: 'Điện Biên', f });
      expect(r.errors).toBeUndefined();
      expect(r.data!.documents.nodes.length).toBeGreaterThan(0);
      // Every outgoing document of the province carries its name: the same rows in the same order.
      expect(r.data!.searchDocuments.nodes.map((n: { id: string }) => n.id)).toEqual(
        r.data!.documents.nodes.map((n: { id: string }) => n.id),
      );
      const folded = await h.gql(q, { q: 'dien bien', f });
      expect(folded.data!.searchDocuments).toEqual(r.data!.searchDocuments);
      // Unfiltered, the results are the documents of Điện Biên's agencies (incoming copies included).
      const all = await h.gql(
        `{ searchDocuments(query: "Điện Biên", first: 50) { nodes { subject issuer { name } } } }`,
      );
      expect(all.data!.searchDocuments.nodes.length).toBeGreaterThan(0);
      for (const n of all.data!.searchDocuments.nodes)
        expect(`${n.subject} ${n.issuer.name}`).toContain('Điện Biên');
    });

    test('Official.documentsSigned: the signer link, many officials in one round trip', async () => {
      const ids = [
        '000.00.94.H18/1',
        '000.00.94.H18/2',
        '000.00.94.H18/3',
        '000.00.21.H26/1',
        '000.00.00.H26/9999',
      ];
      const before = h.db.roundTrips;
      const r = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Official { id documentsSigned(first: 5) { signer { official { id } } } } } }`,
        { reps: ids.map((id) => ({ __typename: 'Official', id })) },
      );
      expect(r.errors).toBeUndefined();
      expect(h.db.roundTrips - before).toBe(1);
      const got = r.data!._entities as {
        id: string;
        documentsSigned: { signer: { official: { id: string } } }[];
      }[];
      for (const o of got) for (const d of o.documentsSigned) expect(d.signer.official.id).toBe(o.id);
      expect(got[0]!.documentsSigned.length).toBeGreaterThan(0);
      expect(got[4]!.documentsSigned).toEqual([]);
    });

    test('Official.documentsSigned lists each document once, not again for each incoming register copy', async () => {
      // The signer with the most register copies of their documents (recipients' copies keep the signer).
      const [signer] = await h.db.query<{ id: string; copies: number }>(
        `SELECT signer_official_id AS id, count(*)::int AS copies FROM public_documents
         WHERE direction = 'INCOMING' AND signer_official_id IS NOT NULL
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      );
      expect(signer!.copies).toBeGreaterThan(1); // else this test proves nothing
      const [{ n: documents }] = (await h.db.query<{ n: number }>(
        `SELECT count(DISTINCT (coalesce(issuer_code, issuer_name), year, number_symbol))::int AS n
         FROM public_documents WHERE signer_official_id = $1`,
        [signer!.id],
      )) as [{ n: number }];
      const r = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Official { documentsSigned(first: 100) { numberSymbol issuedDate issuerName issuer { code } } } } }`,
        { reps: [{ __typename: 'Official', id: signer!.id }] },
      );
      expect(r.errors).toBeUndefined();
      const signed = (r.data!._entities as { documentsSigned: any[] }[])[0]!.documentsSigned;
      const keys = signed.map(
        (d) => `${d.issuer?.code ?? d.issuerName} ${d.issuedDate.slice(0, 4)} ${d.numberSymbol}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(signed.length).toBe(Math.min(documents, 100));
    });

    test('lookups by code: a malformed code is BAD_USER_INPUT naming `code`, an unknown well-formed one null (agency and administrativeUnit alike)', async () => {
      const r = await h.gql(`{
        a: agency(code: "000.00.00.Z99") { name }
        u: administrativeUnit(code: "99999") { name }
      }`);
      expect(r).toEqual({ data: { a: null, u: null } });
      for (const q of [
        '{ agency(code: "garbage") { name } }',
        '{ administrativeUnit(code: "x") { name } }',
      ]) {
        const bad = await h.gql(q);
        expect(bad.errors!.map((e: any) => [e.extensions.code, e.extensions.field])).toEqual([
          ['BAD_USER_INPUT', 'code'],
        ]);
        expect(JSON.stringify(bad.data ?? null)).toMatch(/^(null|\{"\w+":null\})$/);
      }
    });

    test('search is one round trip, backed by GIN indexes on every engine', async () => {
      const before = h.db.roundTrips;
      const r = await h.gql(
        `{ searchDocuments(query: "chuyển đổi số", first: 20) { nodes { numberSymbol } } }`,
      );
      expect(r.data!.searchDocuments.nodes).toHaveLength(20);
      expect(h.db.roundTrips - before).toBe(1);
      const idx = await h.db.query(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'documents'
         AND (indexname LIKE '%syllables' OR indexname LIKE '%trgm') ORDER BY 1`,
      );
      expect(idx).toEqual([
        { indexname: 'documents_exact_syllables' },
        { indexname: 'documents_search_syllables' },
      ]);
      const plan = await h.db.transaction(async (tx) => {
        await tx.query(`SET LOCAL enable_seqscan = off`);
        return tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM public_documents d WHERE d.search_tsv @@ phraseto_tsquery('simple', 'hoa giai')`,
        );
      });
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('documents_search_syllables');
    });

    test('lists paginate by cursor without overlap and cap the page size', async () => {
      const q = `query($after: String) { documents(first: 7, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }`;
      const p1 = await h.gql(q);
      const p2 = await h.gql(q, { after: p1.data!.documents.pageInfo.endCursor });
      const ids1 = p1.data!.documents.nodes.map((n: { id: string }) => n.id);
      const ids2 = p2.data!.documents.nodes.map((n: { id: string }) => n.id);
      expect(ids1).toHaveLength(7);
      expect(ids2).toHaveLength(7);
      expect(ids1.filter((id: string) => ids2.includes(id))).toEqual([]);
      const tooMany = await h.gql(`{ documents(first: 1000) { nodes { id } } }`);
      expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const badCursor = await h.gql(`{ documents(after: "xyz") { nodes { id } } }`);
      expect(badCursor.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    test('issuing allocates the next number in the yearly sequence, concurrently without duplicates', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          issue({
            input: issueInput({
              agencyCode: BTL.replace('21', '05'),
              issuedDate: '2024-12-30',
              typeCode: i % 2 ? 'QĐ' : 'TB',
              subject: `Thông báo số ${i}`,
            }),
          }),
        ),
      );
      for (const r of results) expect(r.errors).toBeUndefined();
      const numbers = results
        .map((r) => r.data!.issueOutgoingDocument.number)
        .sort((a: number, b: number) => a - b);
      const [{ max }] = (await h.db.query<{ max: number }>(
        `SELECT max(number)::int AS max FROM documents WHERE agency_code = $1 AND year = 2024 AND direction = 'OUTGOING'`,
        [BTL.replace('21', '05')],
      )) as [{ max: number }];
      expect(new Set(numbers).size).toBe(12);
      expect(numbers[11] - numbers[0]).toBe(11); // gap-free
      expect(numbers[11]).toBe(max);
      // A new year starts again at 1; legal normative documents carry the year in their symbol.
      // (Hà Nội's first months, 2008: the seed's documents start in 2010.)
      const y = await issue({ input: issueInput({ legalNormative: true, issuedDate: '2008-09-02' }) });
      expect(y.data!.issueOutgoingDocument).toMatchObject({
        number: 1,
        numberSymbol: '1/2008/QĐ-UBND',
        exchangeId: '000.00.00.H26,2008/09/02,1/2008/QĐ-UBND',
      });
      const cv = await issue({
        input: issueInput({
          typeCode: null,
          unitSymbol: 'KT',
          issuedDate: '2008-09-03',
          recipientCodes: [BA_DINH],
          recipientNames: ['Lưu: VT'],
        }),
      });
      expect(cv.data!.issueOutgoingDocument).toMatchObject({
        number: 2,
        numberSymbol: '2/UBND-KT',
        docType: { code: null, name: 'Công văn' },
        recipients: [
          { name: 'Ủy ban nhân dân quận Ba Đình', agency: { code: BA_DINH } },
          { name: 'Lưu: VT', agency: null },
        ],
      });
    });

    test('a failed mutation leaves nothing half-written', async () => {
      const before = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents`);
      const bad = await issue({
        input: issueInput({ issuedDate: '2009-05-05', recipientCodes: ['000.99.99.H99'] }),
      });
      expect(bad.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.recipientCodes',
      });
      const after = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents`);
      expect(after[0]!.n).toBe(before[0]!.n);
      // A transaction that fails after taking a number gives the number back.
      await expect(
        h.db.transaction(async (tx) => {
          await nextNumber(tx, HANOI, 2009, 'ALL');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const ok = await issue({ input: issueInput({ issuedDate: '2009-05-06' }) });
      expect(ok.data!.issueOutgoingDocument.number).toBe(1);
    });

    test('invalid input is BAD_USER_INPUT naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ agencyCode: 'H26' }, 'input.agencyCode'],
        [{ typeCode: 'XYZ' }, 'input.typeCode'],
        [{ typeCode: null }, 'input.unitSymbol'],
        [{ subject: '   ' }, 'input.subject'],
        [{ electronic: false, digitallySigned: true }, 'input.digitallySigned'],
        [{ signer: { officialId: `${HANOI}/1`, competence: 'XX.' } }, 'input.signer.competence'],
        // Bắc Từ Liêm district ceased on 30 June 2025: it can neither issue nor receive after that.
        [{ agencyCode: BTL, issuedDate: '2025-07-01' }, 'input.agencyCode'],
        [{ recipientCodes: [BTL], issuedDate: '2025-08-01' }, 'input.recipientCodes'],
      ];
      for (const [over, field] of cases) {
        const r = await issue({ input: issueInput(over) });
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      const badDate = await issue({ input: issueInput({ issuedDate: '2024-02-30' }) });
      expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(badDate)).not.toMatch(/at .*\.ts|stack/i);
    });

    test('incoming: register once (CONFLICT on duplicates), assign, and move through allowed states only', async () => {
      const REG = `mutation($i: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $i) { id arrivalNumber status numberSymbol issuer { code } } }`;
      const input = {
        agencyCode: BTL,
        issuerCode: HANOI,
        numberSymbol: '  77/QĐ-UBND ',
        issuedDate: '2024-12-20',
        receivedAt: '2024-12-21T08:00:00+07:00',
        dueDate: '2024-12-31',
        subject: 'Quyết định về việc giao dự toán ngân sách năm 2025',
        electronic: true,
      };
      const r1 = await asBtl(REG, { i: input });
      expect(r1.errors).toBeUndefined();
      expect(r1.data!.registerIncomingDocument).toMatchObject({
        status: 'DA_VAO_SO',
        numberSymbol: '77/QĐ-UBND',
        issuer: { code: HANOI },
      });
      const dup = await asBtl(REG, { i: { ...input, numberSymbol: '77/QĐ-UBND' } });
      expect(dup.errors![0]!.extensions!.code).toBe('CONFLICT');
      const badNumber = await asBtl(REG, { i: { ...input, numberSymbol: '77-QĐ' } });
      expect(badNumber.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.numberSymbol',
      });

      // Received at 05:00 on 1 January 2024 in Vietnam (still 31 December in UTC): the 2024 register.
      const newYear = await asBtl(REG, {
        i: {
          ...input,
          numberSymbol: '1/TB-UBND',
          issuedDate: '2023-12-31',
          dueDate: null,
          receivedAt: '2023-12-31T22:00:00Z',
        },
      });
      expect(newYear.errors).toBeUndefined();
      const [registered] = await h.db.query<{ arrival_year: number }>(
        `SELECT arrival_year FROM documents WHERE id = $1`,
        [Number(newYear.data!.registerIncomingDocument.id)],
      );
      expect(registered!.arrival_year).toBe(2024);
      // Assignments are made today, to an official in post today: Thượng Cát (from 1 July 2025)
      // registers a document it received yesterday and assigns it.
      const asTc = (q: string, v: Record<string, unknown>) => h.gql(q, v, callers.official(THUONG_CAT));
      const due = daysAgo(-30);
      const recent = await asTc(REG, {
        i: {
          ...input,
          agencyCode: THUONG_CAT,
          issuedDate: daysAgo(2),
          receivedAt: new Date(Date.now() - DAY_MS).toISOString(),
          dueDate: due,
        },
      });
      expect(recent.errors).toBeUndefined();
      const docId = recent.data!.registerIncomingDocument.id;
      const ASSIGN = `mutation($i: AssignDocumentInput!) { assignDocument(input: $i) { id state dueDate assigneeName assignee { id } document { status } } }`;
      // A name that is not the directory's is refused; the assignment carries the directory's.
      const wrongName = await asTc(ASSIGN, {
        i: { documentId: docId, assigneeName: 'Lê Thị Hà', assigneeId: `${THUONG_CAT}/4`, role: 'CHU_TRI' },
      });
      expect(wrongName.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.assigneeName',
      });
      const a = await asTc(ASSIGN, {
        i: { documentId: docId, assigneeId: `${THUONG_CAT}/4`, role: 'CHU_TRI' },
      });
      expect(a.data!.assignDocument).toMatchObject({
        state: 'DA_PHAN_CONG',
        dueDate: due,
        assigneeName: syntheticOfficial(THUONG_CAT, 4).fullName,
        assignee: { id: `${THUONG_CAT}/4` },
        document: { status: 'DA_PHAN_CONG' },
      });
      // Bắc Từ Liêm ended on 30 June 2025: its register is closed, and its officials left their posts.
      const gone = await asBtl(ASSIGN, {
        i: { documentId: r1.data!.registerIncomingDocument.id, assigneeId: `${BTL}/4`, role: 'CHU_TRI' },
      });
      expect(gone.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.documentId' });
      expect(gone.errors![0]!.message).toContain(`agency ${BTL} does not exist on`);
      const left = await asTc(ASSIGN, { i: { documentId: docId, assigneeId: `${BTL}/4`, role: 'PHOI_HOP' } });
      expect(left.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.assigneeId' });
      const id = a.data!.assignDocument.id;
      const MOVE = `mutation($id: ID!, $s: AssignmentState!) { updateAssignmentState(id: $id, state: $s) { state completedAt document { status completedAt } } }`;
      const skip = await asTc(MOVE, { id, s: 'HOAN_THANH' });
      expect(skip.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
      expect((await asTc(MOVE, { id, s: 'DANG_XU_LY' })).data!.updateAssignmentState.document.status).toBe(
        'DANG_XU_LY',
      );
      const done = await asTc(MOVE, { id, s: 'HOAN_THANH' });
      expect(done.data!.updateAssignmentState.state).toBe('HOAN_THANH');
      expect(done.data!.updateAssignmentState.document.status).toBe('HOAN_THANH');
      expect(done.data!.updateAssignmentState.document.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const missing = await asTc(MOVE, { id: '987654321', s: 'DANG_XU_LY' });
      expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    });

    test('administrative units: codes are reused, asOf picks the right one, the crosswalk leads to today', async () => {
      const r = await h.gql(`{
        before: administrativeUnit(code: "00598", asOf: "2020-01-01") { id name parent { name } successors { kind to { name } } }
        after: administrativeUnit(code: "00598", asOf: "2025-08-01") { id name parent { name } predecessors { from { name } } }
      }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!.before).toMatchObject({ name: 'Phường Liên Mạc', parent: { name: 'Quận Bắc Từ Liêm' } });
      expect(r.data!.after).toMatchObject({
        name: 'Phường Thượng Cát',
        parent: { name: 'Thành phố Hà Nội' },
      });
      expect(r.data!.before.id).not.toBe(r.data!.after.id);
      expect(r.data!.after.predecessors.map((p: { from: { name: string } }) => p.from.name)).toContain(
        'Phường Liên Mạc',
      );
      const ward = await h.gql(`{ agency(code: "000.02.21.H26") { name validTo successors { code name } } }`);
      expect(ward.data!.agency).toMatchObject({
        name: 'Ủy ban nhân dân phường Liên Mạc',
        validTo: '2025-06-30',
      });
      expect(ward.data!.agency.successors).toContainEqual({
        code: THUONG_CAT,
        name: 'Ủy ban nhân dân phường Thượng Cát',
      });
      const cur = await h.gql(
        `{ administrativeUnit(code: "00598", asOf: "2020-01-01") { current(asOf: "2025-08-01") { name } } }`,
      );
      expect(cur.data!.administrativeUnit.current.map((u: { name: string }) => u.name)).toContain(
        'Phường Thượng Cát',
      );
    });

    test('records keep the unit as it was at the event date, across the 2025 mergers', async () => {
      await issue({ input: issueInput({ agencyCode: '000.00.00.H05', issuedDate: '2025-09-01' }) });
      const r = await h.gql(`{
        agency(code: "000.00.00.H05") { name
          then: unit(asOf: "2013-06-01") { code name validTo }
          now: unit { code name validFrom }
          old: documents(first: 1, filter: { direction: OUTGOING, issuedTo: "2014-12-31" }) { nodes { issuedDate issuerUnit { code name } } }
          recent: documents(first: 1, filter: { direction: OUTGOING, issuedFrom: "2025-07-01" }) { nodes { issuerUnit { code name } } }
        }
        ward: agency(code: "000.02.21.H26") { documents(first: 1, filter: { direction: OUTGOING }) { nodes { issuerUnit { name } } } }
      }`);
      expect(r.errors).toBeUndefined();
      const a = r.data!.agency;
      expect(a.then).toEqual({ code: '27', name: 'Tỉnh Bắc Ninh', validTo: '2025-06-30' });
      expect(a.now).toEqual({ code: '24', name: 'Tỉnh Bắc Ninh', validFrom: '2025-07-01' });
      expect(a.old.nodes[0].issuerUnit).toEqual({ code: '27', name: 'Tỉnh Bắc Ninh' });
      expect(a.recent.nodes[0].issuerUnit).toEqual({ code: '24', name: 'Tỉnh Bắc Ninh' });
      expect(r.data!.ward.documents.nodes[0].issuerUnit).toEqual({ name: 'Phường Liên Mạc' });
    });

    test('no N+1: nested lists over many agencies cost the same round trips as over a few', async () => {
      const q = (
        n: number,
      ) => `{ agencies(level: COMMUNE, first: ${n}) { nodes { name parent { name } unit { name }
        documentStats(period: {from: "2020-01-01", to: "2020-12-31"}) { outgoingTotal electronicRatio }
        documents(first: 3) { nodes { numberSymbol issuer { name } issuerUnit { name } recipients { agency { name } } assignments { state } } } } } }`;
      const cost = async (n: number): Promise<number> => {
        const before = h.db.roundTrips;
        const r = await h.gql(q(n));
        expect(r.errors).toBeUndefined();
        expect(r.data!.agencies.nodes).toHaveLength(n);
        return h.db.roundTrips - before;
      };
      const few = await cost(4);
      const many = await cost(50);
      expect(many).toBe(few);
      expect(many).toBeLessThanOrEqual(12);
    });

    test('entity references from other subgraphs are resolved in one batch', async () => {
      const reps = ['000.00.21.H26', '000.00.00.H26', '000.00.00.H18', '000.00.00.G12', '000.99.99.H99'].map(
        (code) => ({ __typename: 'Agency', code }),
      );
      const before = h.db.roundTrips;
      const r = await h.gql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code name level } } }`,
        { r: reps },
      );
      expect(h.db.roundTrips - before).toBe(1);
      expect(r.data!._entities.map((e: { name?: string } | null) => e?.name ?? null)).toEqual([
        'Ủy ban nhân dân quận Bắc Từ Liêm',
        'Ủy ban nhân dân thành phố Hà Nội',
        'Ủy ban nhân dân tỉnh Điện Biên',
        'Bộ Tài chính',
        null,
      ]);
    });
  });
}
