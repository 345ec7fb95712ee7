/** The documents data suite (data-suite.ts), part: Lookups and lists: the documents an official signed, agencies and units by code, cursor pagination. */
import type { DocumentsSuite } from './documents';

export function lookupTests(suite: DocumentsSuite): void {
  test('Official.documentsSigned: the signer link, many officials in one round trip', async () => {
    const ids = [
      '000.00.94.H18/1',
      '000.00.94.H18/2',
      '000.00.94.H18/3',
      '000.00.21.H26/1',
      '000.00.00.H26/9999',
    ];
    const before = suite.h.db.roundTrips;
    const r = await suite.h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Official { id documentsSigned(first: 5) { signer { official { id } } } } } }`,
      { reps: ids.map((id) => ({ __typename: 'Official', id })) },
    );
    expect(r.errors).toBeUndefined();
    expect(suite.h.db.roundTrips - before).toBe(1);
    const got = r.data!._entities as {
      id: string;
      documentsSigned: { signer: { official: { id: string } } }[];
    }[];
    for (const o of got) for (const d of o.documentsSigned) expect(d.signer.official.id).toBe(o.id);
    expect(got[0]!.documentsSigned).toHaveLength(5);
    expect(got[4]!.documentsSigned).toEqual([]);
  });

  test('Official.documentsSigned lists each document once, not again for each incoming register copy', async () => {
    // The signer with the most register copies of their documents (recipients' copies keep the signer).
    const [signer] = await suite.h.db.query<{ id: string; copies: number }>(
      `SELECT signer_official_id AS id, count(*)::int AS copies FROM public_documents
         WHERE direction = 'INCOMING' AND signer_official_id IS NOT NULL
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    expect(signer!.copies).toBeGreaterThan(1); // else this test proves nothing
    const [{ n: documents }] = (await suite.h.db.query<{ n: number }>(
      `SELECT count(DISTINCT (coalesce(issuer_code, issuer_name), year, number_symbol))::int AS n
         FROM public_documents WHERE signer_official_id = $1`,
      [signer!.id],
    )) as [{ n: number }];
    const r = await suite.h.gql(
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
    const r = await suite.h.gql(`{
        a: agency(code: "000.00.00.Z99") { name }
        u: administrativeUnit(code: "99999") { name }
      }`);
    expect(r).toEqual({ data: { a: null, u: null } });
    for (const q of ['{ agency(code: "garbage") { name } }', '{ administrativeUnit(code: "x") { name } }']) {
      const bad = await suite.h.gql(q);
      expect(bad.errors!.map((e: any) => [e.extensions.code, e.extensions.field])).toEqual([
        ['BAD_USER_INPUT', 'code'],
      ]);
      expect(JSON.stringify(bad.data ?? null)).toMatch(/^(null|\{"\w+":null\})$/);
    }
  });

  test('lists paginate by cursor without overlap and cap the page size', async () => {
    const q = `query($after: String) { documents(first: 7, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }`;
    const p1 = await suite.h.gql(q);
    const p2 = await suite.h.gql(q, { after: p1.data!.documents.pageInfo.endCursor });
    const ids1 = p1.data!.documents.nodes.map((n: { id: string }) => n.id);
    const ids2 = p2.data!.documents.nodes.map((n: { id: string }) => n.id);
    expect(ids1).toHaveLength(7);
    expect(ids2).toHaveLength(7);
    expect(ids1.filter((id: string) => ids2.includes(id))).toEqual([]);
    const tooMany = await suite.h.gql(`{ documents(first: 1000) { nodes { id } } }`);
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await suite.h.gql(`{ documents(after: "xyz") { nodes { id } } }`);
    expect(badCursor.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
}
