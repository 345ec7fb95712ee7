/**
 * The documents subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and
 * against a PostgreSQL server given by URL (data.services.test.ts): same SQL, same answers.
 */
import type { Database } from '../../../../kit';
import { callers } from '../../../../kit/testing';
import { BTL, ISSUE } from './documents';
import type { DocumentsSuite, Found } from './documents';
import { openHarness } from './harness';
import type { Harness } from './harness';
import { lookupTests } from './lookups-tests';
import { registerTests } from './registers-tests';
import { searchTests } from './search-tests';
import { unitTests } from './units-tests';
import { writeTests } from './write-tests';

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

    const suite: DocumentsSuite = {
      get h() {
        return h;
      },
      issue,
      asBtl,
      searchAll,
    };
    registerTests(suite);
    searchTests(suite);
    lookupTests(suite);
    writeTests(suite);
    unitTests(suite);
  });
}
