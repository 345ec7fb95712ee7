/** The documents data suite (data-suite.ts), part: Full-text search: case and accents, whole syllables, phrases, numbers/symbols and agency names, one round trip on GIN indexes. */
import { exactKey, foldKey } from '../../../../kit';
import { HANOI, issueInput, searchableText } from './documents';
import type { DocumentsSuite } from './documents';

export function searchTests(suite: DocumentsSuite): void {
  test('search ignores case and accents, and ranks exact-accent matches first', async () => {
    const folded = await suite.h.gql(
      `{ searchDocuments(query: "THU DIEN TU cong vu", first: 5) { nodes { subject } } }`,
    );
    expect(folded.data!.searchDocuments.nodes).toHaveLength(5);
    for (const n of folded.data!.searchDocuments.nodes) expect(n.subject).toContain('thư điện tử công vụ');
    // Tone placement: "Hoà" and "Hòa" are the same word.
    await suite.issue({ input: issueInput({ subject: 'Quyết định về việc khen thưởng xã Hoà Bình' }) });
    await suite.issue({ input: issueInput({ subject: 'Quyết định về việc khen thưởng xã Hoa Binh cũ' }) });
    const ranked = await suite.h.gql(
      `{ searchDocuments(query: "Hòa Bình", first: 10) { nodes { subject } } }`,
    );
    const subjects = ranked.data!.searchDocuments.nodes.map((n: { subject: string }) => n.subject);
    expect(subjects[0]).toBe('Quyết định về việc khen thưởng xã Hoà Bình');
    expect(subjects).toContain('Quyết định về việc khen thưởng xã Hoa Binh cũ');
    // Page by page (one per page) the order is the same and nothing repeats across the rank boundary.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const p: any = await suite.h.gql(
        `query($a: String) { searchDocuments(query: "Hòa Bình", first: 1, after: $a) { nodes { subject } pageInfo { hasNextPage endCursor } } }`,
        { a: after },
      );
      paged.push(...p.data.searchDocuments.nodes.map((n: { subject: string }) => n.subject));
      after = p.data.searchDocuments.pageInfo.hasNextPage ? p.data.searchDocuments.pageInfo.endCursor : null;
    } while (after && paged.length < 50);
    expect(paged).toEqual(subjects);
  });

  test('search matches whole syllables: "Hòa" finds Hòa, Hoà and hoa, never "Kế hoạch"', async () => {
    const issueNamed = async (subject: string): Promise<string> => {
      const r = await suite.issue({ input: issueInput({ issuedDate: '2026-04-01', subject }) });
      expect(r.errors).toBeUndefined();
      return r.data!.issueOutgoingDocument.id;
    };
    const hoaGiai = await issueNamed('Quyết định thành lập Tổ Hòa giải cơ sở');
    const hoaAn = await issueNamed('Quyết định khen thưởng thôn Hoà An');
    const hoaBan = await issueNamed('Quyết định tổ chức lễ hội hoa ban');
    const keHoach = await issueNamed('Quyết định ban hành Kế hoạch phòng, chống thiên tai');
    const all = await suite.searchAll('Hòa');
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
    expect((await suite.searchAll('kế hoạch')).length).toBeGreaterThan(10);
    // Page by page (7 at a time) across the rank boundary: the same order, nothing repeated.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const p: any = await suite.h.gql(
        `query($a: String) { searchDocuments(query: "Hòa", first: 7, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { a: after },
      );
      paged.push(...p.data.searchDocuments.nodes.map((n: { id: string }) => n.id));
      after = p.data.searchDocuments.pageInfo.hasNextPage ? p.data.searchDocuments.pageInfo.endCursor : null;
    } while (after && paged.length < 2000);
    expect(paged).toEqual(ids);
  });

  test('consecutive query syllables match consecutive syllables (a phrase)', async () => {
    const ids = async (q: string): Promise<string[]> => (await suite.searchAll(q)).map((n) => n.id);
    const [doc] = await ids('Tổ Hòa giải cơ sở');
    expect(doc).toBeDefined();
    expect(await ids('hoa giai')).toContain(doc);
    expect(await ids('giải hòa')).not.toContain(doc);
    expect(await ids('Hòa cơ sở')).not.toContain(doc);
  });

  test('search reaches the number/symbol, punctuation separating syllables', async () => {
    const r = await suite.issue({
      input: issueInput({ issuedDate: '2026-04-02', subject: 'Quyết định về việc điều động cán bộ' }),
    });
    const { id, numberSymbol } = r.data!.issueOutgoingDocument;
    expect(numberSymbol).toMatch(/^\d+\/QĐ-UBND$/);
    const filter = { agencyCode: HANOI, issuedFrom: '2026-04-02', issuedTo: '2026-04-02' };
    const found = async (q: string): Promise<string[]> => {
      const s = await suite.h.gql(
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
    const everywhere = await suite.searchAll(numberSymbol);
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
    const r = await suite.h.gql(q, { q: 'Điện Biên', f });
    expect(r.errors).toBeUndefined();
    expect(r.data!.documents.nodes).toHaveLength(19);
    // Every outgoing document of the province carries its name: the same rows in the same order.
    expect(r.data!.searchDocuments.nodes.map((n: { id: string }) => n.id)).toEqual(
      r.data!.documents.nodes.map((n: { id: string }) => n.id),
    );
    const folded = await suite.h.gql(q, { q: 'dien bien', f });
    expect(folded.data!.searchDocuments).toEqual(r.data!.searchDocuments);
    // Unfiltered, the results are the documents of Điện Biên's agencies (incoming copies included).
    const all = await suite.h.gql(
      `{ searchDocuments(query: "Điện Biên", first: 50) { nodes { subject issuer { name } } } }`,
    );
    expect(all.data!.searchDocuments.nodes).toHaveLength(50);
    for (const n of all.data!.searchDocuments.nodes)
      expect(`${n.subject} ${n.issuer.name}`).toContain('Điện Biên');
  });

  test('search is one round trip, backed by GIN indexes on every engine', async () => {
    const before = suite.h.db.roundTrips;
    const r = await suite.h.gql(
      `{ searchDocuments(query: "chuyển đổi số", first: 20) { nodes { numberSymbol } } }`,
    );
    expect(r.data!.searchDocuments.nodes).toHaveLength(20);
    expect(suite.h.db.roundTrips - before).toBe(1);
    const idx = await suite.h.db.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'documents'
         AND (indexname LIKE '%syllables' OR indexname LIKE '%trgm') ORDER BY 1`,
    );
    expect(idx).toEqual([
      { indexname: 'documents_exact_syllables' },
      { indexname: 'documents_search_syllables' },
    ]);
    const plan = await suite.h.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off`);
      return tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM public_documents d WHERE d.search_tsv @@ phraseto_tsquery('simple', 'hoa giai')`,
      );
    });
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('documents_search_syllables');
  });
}
