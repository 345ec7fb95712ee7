/**
 * The dossiers subgraph through the gateway, next to documents: the analyst's scorecard (names from
 * documents, dossier figures from dossiers), the portal lookup, a result document resolved by the
 * documents subgraph, stable error codes, and one batched fetch per subgraph for a list of 100.
 */
import { example } from '../schema/examples';
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

let stack: FederatedStack;

/** As a signed-in analyst unless told otherwise: lists need a read scope. */
const post = (
  query: string,
  variables: Record<string, unknown> = {},
  caller: Caller = callers.analyst,
): Promise<any> => stack.gql(query, variables, caller);
const LAP_THACH_OFFICIAL = callers.official('000.00.46.H62');

beforeAll(async () => {
  stack = await startFederatedStack();
}, 180_000);

afterAll(async () => stack?.close());

test('analyst: Lập Thạch 2017 scorecard — name from documents, 96% on time from dossiers', async () => {
  const r = await post(`{ agency(code: "000.00.46.H62") { name
    dossierStats(period: { from: "2017-01-01", to: "2017-12-31" }) { onTimeRatio resolved }
    procedures(filter: { minOnlineLevel: 3, period: { from: "2017-01-01", to: "2017-12-31" } }) { totalCount } } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data.agency.name).toBe('Ủy ban nhân dân huyện Lập Thạch');
  expect(r.data.agency.dossierStats.onTimeRatio).toBe(0.96);
  const dbp = await post(`{ agency(code: "000.00.94.H18") { name
    procedures(filter: { minOnlineLevel: 3, period: { from: "2013-01-01", to: "2013-12-31" } }) { totalCount } } }`);
  expect(dbp.data.agency).toEqual({
    name: 'Ủy ban nhân dân thành phố Điện Biên Phủ',
    procedures: { totalCount: 39 },
  });
});

test('portal and result document: a dossier received, resolved with a document of the documents subgraph, looked up', async () => {
  const doc = await post(
    // Lập Thạch's own (a result document belongs to the dossier's agency), issued before the result.
    `{ documents(first: 1, filter: { direction: OUTGOING, agencyCode: "000.00.46.H62", issuedTo: "2025-03-12" }) { nodes { id numberSymbol } } }`,
  );
  const document = doc.data.documents.nodes[0];
  const received = await post(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code applicant { name idNumber } } }`,
    {
      i: {
        agencyCode: '000.00.46.H62',
        procedureCode: '1.000656',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký khai sinh có yếu tố nước ngoài',
        applicant: { kind: 'CONG_DAN', name: 'Trần Thị Bích Ngọc', idNumber: '026190654321' },
        receivedAt: '2025-03-09T09:00:00+07:00',
      },
    },
    LAP_THACH_OFFICIAL,
  );
  expect(received.errors).toBeUndefined();
  const code = received.data.receiveDossier.code;
  // The receiving official sees the applicant; an analyst the masked form.
  expect(received.data.receiveDossier.applicant).toEqual({
    name: 'Trần Thị Bích Ngọc',
    idNumber: '026190654321',
  });
  const seen = await post(
    `{ dossier(code: "${code}") { applicant { name idNumber } } }`,
    {},
    callers.analyst,
  );
  expect(seen.data.dossier.applicant).toEqual({ name: 'T*** T** B*** N***', idNumber: '*********321' });
  await post(
    `mutation { advanceDossierStatus(input: { code: "${code}", status: DANG_XU_LY, at: "2025-03-10T08:00:00+07:00" }) { status } }`,
    {},
    LAP_THACH_OFFICIAL,
  );
  const done = await post(
    `mutation { recordDossierResult(input: { code: "${code}", resultDocumentId: "${document.id}", at: "2025-03-12T15:00:00+07:00" }) {
      status resultDocument { id numberSymbol } } }`,
    {},
    LAP_THACH_OFFICIAL,
  );
  expect(done.errors).toBeUndefined();
  expect(done.data.recordDossierResult).toEqual({ status: 'DA_XU_LY_XONG', resultDocument: document });
  // The public portal's lookup needs no token.
  const portal = await stack.gql(
    `{ dossierStatus(code: "${code}") { status statusCode timeliness procedure { name } agency { name } } }`,
  );
  expect(portal.data.dossierStatus).toEqual({
    status: 'DA_XU_LY_XONG',
    statusCode: 9,
    timeliness: 'TRUOC_HAN',
    procedure: { name: 'Đăng ký khai sinh có yếu tố nước ngoài' },
    agency: { name: 'Ủy ban nhân dân huyện Lập Thạch' },
  });
  const illegal = await post(
    `mutation { advanceDossierStatus(input: { code: "${code}", status: DANG_XU_LY }) { status } }`,
    {},
    LAP_THACH_OFFICIAL,
  );
  expect(illegal.errors[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', serviceName: 'dossiers' });
  const bad = await stack.gql(`{ dossierStatus(code: "12345") { status } }`); // anonymous too
  expect(bad.errors[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'code',
    serviceName: 'dossiers',
  });
});

test('100 dossiers with their agency (documents) and procedure: one batched fetch per subgraph, no per-row queries', async () => {
  const docs = stack.subgraphs.get('documents')!.db;
  const dos = stack.subgraphs.get('dossiers')!.db;
  const [d0, s0] = [docs.roundTrips, dos.roundTrips];
  const r = await post(
    `{ dossiers(first: 100) { nodes { code agency { name level } procedure { name agency { name } } steps { official { id } } } } }`,
    {},
    callers.analyst,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data.dossiers.nodes).toHaveLength(100);
  expect(
    r.data.dossiers.nodes.every((n: any) => n.agency.name && n.procedure.agency.name === n.agency.name),
  ).toBe(true);
  expect(docs.roundTrips - d0).toBeLessThanOrEqual(2);
  expect(dos.roundTrips - s0).toBeLessThanOrEqual(3);
});

test('the dossier examples (examples/, docs/systems/dossiers.md) run through the gateway and show the published figures', async () => {
  const examples = [
    'portal/03-dossier-status',
    'analyst/04-dossier-statistics',
    'analyst/05-late-dossiers',
    'analyst/06-citizen-journey',
  ].map((name) => example(name).query);
  // The portal's lookup is anonymous; the others are an analyst's.
  const [portal, analyst, late, journey] = await Promise.all(
    examples.map((q, i) => post(q, {}, i === 0 ? callers.anonymous : callers.analyst)),
  );
  for (const r of [portal, analyst, late, journey]) expect(r.errors).toBeUndefined();
  expect(portal.data.dossierStatus.agency.name).toBe('Ủy ban nhân dân huyện Lập Thạch');
  expect(analyst.data.lapThach.dossierStats.onTimeRatio).toBe(0.96);
  expect(analyst.data.dienBienPhu.procedures.totalCount).toBe(39);
  expect(late.data.dossiers.nodes).toHaveLength(14);
  // The seeded land dossier: resolved and returned, about parcel 00598/1/3, which it split.
  const d = journey.data.dossier;
  expect(d).toMatchObject({
    code: '000.00.21.H26-240311-0001',
    status: 'DA_TRA_KET_QUA',
    procedure: { name: 'Tách thửa hoặc hợp thửa đất', landRelated: true },
    resultDocument: null,
    parcel: { id: '00598/1/3', currentCommune: { name: 'Phường Thượng Cát' } },
  });
  expect(d.applicant.name).toMatch(/^\S\*+( \S\*+)+$/); // masked
  expect(d.applicant.idNumber).toMatch(/^\*{9}\d{3}$/);
  expect(Date.parse(d.returnedAt)).toBeLessThanOrEqual(Date.parse(`${d.parcel.retiredOn}T23:59:59+07:00`));
  expect(d.parcel.certificates).toHaveLength(1);
  for (const c of d.parcel.certificates) expect(c.cancelledOn).toBe(d.parcel.retiredOn);
  expect(d.parcel.dossiers.nodes.map((n: { code: string }) => n.code)).toContain(d.code);
});
