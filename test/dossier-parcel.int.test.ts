/**
 * The citizen-facing systems linked through the graph: one gateway query goes dossier → procedure,
 * applicant (masked), result document (documents), parcel (land) → certificate and back to the
 * parcel's other dossiers (dossiers) — and a page of 100 dossiers with all of that costs each database
 * the same number of round trips as a page of 10: one batched fetch per subgraph per level.
 */
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

let stack: FederatedStack;

// Reads as an analyst (every record, personal data masked); the writes as an official of Bắc Từ Liêm.
const post = (
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = callers.analyst,
): Promise<any> => stack.gql(query, variables, caller);
const BTL_OFFICIAL = callers.official('000.00.21.H26');

const JOURNEY = `procedure { name landRelated } applicant { name idNumber } resultDocument { numberSymbol issuer { name } }
  parcel { id area currentCommune { name } certificates { issueSerial holders { fullName idNumber } } dossiers(first: 10) { nodes { code } } }`;

beforeAll(async () => {
  // The page of 100 with nested certificates and holders is estimated above the default cost budget
  // (5000, assuming 10 items per unbounded list); this test is about batching, so it raises the budget.
  stack = await startFederatedStack({ gatewayEnv: { GATEWAY_MAX_COST: '50000' } });
}, 180_000);

afterAll(async () => stack?.close());

test('a land dossier: procedure, masked applicant, result document, parcel and certificate, and back', async () => {
  const doc = (
    await post(
      `{ documents(first: 1, filter: { direction: OUTGOING, agencyCode: "000.00.21.H26", issuedTo: "2025-03-14" }) { nodes { id numberSymbol } } }`,
    )
  ).data.documents.nodes[0];
  const received = await post(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    {
      i: {
        agencyCode: '000.00.21.H26',
        procedureCode: '1.000943',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký đất đai lần đầu',
        applicant: { kind: 'CONG_DAN', name: 'Phạm Thị Thu Hà', idNumber: '001190123456' },
        parcelId: '00598/1/1',
        receivedAt: '2025-03-10T09:00:00+07:00',
      },
    },
    BTL_OFFICIAL,
  );
  expect(received.errors).toBeUndefined();
  const { code } = received.data.receiveDossier;
  const done = await post(
    `mutation { recordDossierResult(input: { code: "${code}", resultDocumentId: "${doc.id}", at: "2025-03-14T15:00:00+07:00" }) { status } }`,
    {},
    BTL_OFFICIAL,
  );
  expect(done.errors).toBeUndefined();

  const r = await post(`{ dossier(code: "${code}") { code ${JOURNEY} } }`);
  expect(r.errors).toBeUndefined();
  const d = r.data.dossier;
  expect(d.procedure).toEqual({
    name: 'Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu',
    landRelated: true,
  });
  expect(d.applicant).toEqual({ name: 'P*** T** T** H*', idNumber: '*********456' }); // personal data masked
  expect(d.resultDocument).toEqual({
    numberSymbol: doc.numberSymbol,
    issuer: { name: 'Ủy ban nhân dân quận Bắc Từ Liêm' },
  });
  expect(d.parcel.id).toBe('00598/1/1');
  expect(d.parcel.currentCommune).toEqual({ name: 'Phường Thượng Cát' }); // through the 2025 crosswalk
  for (const c of d.parcel.certificates) for (const h of c.holders) expect(h.fullName).toMatch(/\*/);
  expect(d.parcel.dossiers.nodes.map((n: { code: string }) => n.code)).toContain(code); // and back
  expect(JSON.stringify(r)).not.toContain('Phạm Thị Thu Hà');
  // The applicant herself sees her dossier unmasked.
  const own = await post(
    `{ dossier(code: "${code}") { applicant { name idNumber } } }`,
    {},
    callers.citizen('001190123456'),
  );
  expect(own.data.dossier.applicant).toEqual({ name: 'Phạm Thị Thu Hà', idNumber: '001190123456' });
});

test('no N+1 across subgraphs: 100 dossiers with all links cost what 10 cost, in every database', async () => {
  const trips = () => [...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips] as const);
  const page = async (first: number) => {
    const before = new Map(trips());
    const r = await post(
      `{ dossiers(first: ${first}, filter: { agencyCode: "000.00.21.H26", includeSubordinates: true }) { nodes { code ${JOURNEY} } } }`,
    );
    expect(r.errors).toBeUndefined();
    const cost = Object.fromEntries(trips().map(([name, n]) => [name, n - before.get(name)!]));
    return { nodes: r.data.dossiers.nodes, cost };
  };
  const small = await page(10);
  const big = await page(100);
  expect(big.nodes).toHaveLength(100);
  expect(big.nodes.filter((n: { parcel: unknown }) => n.parcel).length).toBeGreaterThanOrEqual(5);
  // The same number of statements for 100 rows as for 10 in each subgraph's database.
  expect(big.cost).toEqual(small.cost);
  expect(big.cost.land).toBe(4); // the parcels really were fetched from land
});
