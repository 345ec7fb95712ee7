/**
 * Row-level rules and personal-data masking through the gateway, with tokens of each role (the
 * stack's identity provider): each role sees exactly what it should — a citizen their own dossier and
 * not another's, an official their district and not another, a partner only the systems its scopes
 * name, an analyst masked personal data, an admin unmasked — and the portal's anonymous lookup still
 * works without personal data. Meanwhile every log line of the gateway and the subgraphs is captured:
 * no citizen ID a request carried appears in any of them.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const LAP_THACH = '000.00.46.H62';
const VINH_PHUC = '000.00.00.H62'; // the province above Lập Thạch
const DIEN_BIEN_PHU = '000.00.94.H18';
const APPLICANT = '026190654321';
const OTHER_CITIZEN = '026190999888';

let stack: FederatedStack;
let code: string;
const logLines: string[] = [];

const gql = (query: string, variables: Record<string, unknown>, caller: Caller): Promise<any> =>
  stack.gql(query, variables, caller);

const DOSSIER = `query($c: ID!) { dossier(code: $c) { code agency { name } applicant { name idNumber } } }`;
const dossierAs = (caller: Caller) => gql(DOSSIER, { c: code }, caller);

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  stack = await startFederatedStack({ logger: pino({ level: 'trace' }, sink) });
  const received = await gql(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    {
      i: {
        agencyCode: LAP_THACH,
        procedureCode: '1.000656',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký khai sinh có yếu tố nước ngoài',
        applicant: { kind: 'CONG_DAN', name: 'Trần Thị Bích Ngọc', idNumber: APPLICANT },
        receivedAt: '2025-03-09T09:00:00+07:00',
      },
    },
    callers.official(LAP_THACH),
  );
  expect(received.errors).toBeUndefined();
  code = received.data.receiveDossier.code;
}, 180_000);

afterAll(async () => stack?.close());

const UNMASKED = { name: 'Trần Thị Bích Ngọc', idNumber: APPLICANT };
const MASKED = { name: 'T*** T** B*** N***', idNumber: '*********321' };

test('the applicant sees her dossier unmasked, and in her list only her own dossiers', async () => {
  const own = await dossierAs(callers.citizen(APPLICANT));
  expect(own.errors).toBeUndefined();
  expect(own.data.dossier.applicant).toEqual(UNMASKED);
  const list = await gql(
    `{ dossiers(first: 100) { nodes { code applicant { idNumber } } } }`,
    {},
    callers.citizen(APPLICANT),
  );
  expect(list.errors).toBeUndefined();
  expect(list.data.dossiers.nodes).toEqual([{ code, applicant: { idNumber: APPLICANT } }]);
});

test("a citizen asking for another citizen's dossier gets FORBIDDEN and no data", async () => {
  const r = await dossierAs(callers.citizen(OTHER_CITIZEN));
  expect(r.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', serviceName: 'dossiers' });
  expect(r.data.dossier).toBeNull();
  expect(JSON.stringify(r)).not.toContain('Ngọc');
  const list = await gql(`{ dossiers(first: 100) { nodes { code } } }`, {}, callers.citizen(OTHER_CITIZEN));
  expect(list.data.dossiers.nodes).toEqual([]);
});

test("an official of another district is refused the record and finds none of its rows; the district's and the province's officials see it unmasked", async () => {
  const other = await dossierAs(callers.official(DIEN_BIEN_PHU));
  expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(other.data.dossier).toBeNull();
  const list = await gql(
    `query($a: ID!) { dossiers(first: 20, filter: { agencyCode: $a }) { nodes { code } } }`,
    { a: LAP_THACH },
    callers.official(DIEN_BIEN_PHU),
  );
  expect(list.errors).toBeUndefined();
  expect(list.data.dossiers.nodes).toEqual([]);
  for (const agency of [LAP_THACH, VINH_PHUC]) {
    const r = await dossierAs(callers.official(agency));
    expect(r.errors).toBeUndefined();
    expect(r.data.dossier).toEqual({
      code,
      agency: { name: 'Ủy ban nhân dân huyện Lập Thạch' },
      applicant: UNMASKED,
    });
  }
  // Budget lines and mailboxes follow the same rule in their own subgraphs.
  const lines = await gql(
    `query($a: ID!) { budgetLines(first: 5, filter: { agencyCode: $a }) { nodes { id } } }`,
    { a: LAP_THACH },
    callers.official(DIEN_BIEN_PHU),
  );
  expect(lines.data.budgetLines.nodes).toEqual([]);
  const own = await gql(
    `query($a: ID!) { budgetLines(first: 5, filter: { agencyCode: $a }) { nodes { id } } }`,
    { a: LAP_THACH },
    callers.official(LAP_THACH),
  );
  expect(own.data.budgetLines.nodes).toHaveLength(5); // a full first page of its own lines
});

test('a partner outside its scopes is refused; with dossiers:read it reads its subtree, masked', async () => {
  // Without dossiers:read the gateway refuses the field (@requiresScopes) before the subgraph is asked.
  const outside = await dossierAs(callers.partner(VINH_PHUC, 'documents:read'));
  expect(outside.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  expect(outside.errors[0].message).toContain('Query.dossier');
  expect(outside.data.dossier).toBeNull();
  const inside = await dossierAs(callers.partner(VINH_PHUC, 'dossiers:read'));
  expect(inside.errors).toBeUndefined();
  expect(inside.data.dossier.applicant).toEqual(MASKED);
  const elsewhere = await dossierAs(callers.partner(DIEN_BIEN_PHU, 'dossiers:read'));
  expect(elsewhere.errors[0].extensions.code).toBe('FORBIDDEN');
  // Its documents:read scope does work in the documents subgraph.
  const docs = await gql(
    `{ documents(first: 5, filter: { direction: INCOMING }) { nodes { agency { code } } } }`,
    {},
    callers.partner(VINH_PHUC, 'documents:read'),
  );
  expect(docs.errors).toBeUndefined();
  for (const d of docs.data.documents.nodes) expect(d.agency.code).toMatch(/\.H62$/);
});

test('an analyst reads every dossier with personal data masked; an admin unmasked', async () => {
  const analyst = await dossierAs(callers.analyst);
  expect(analyst.errors).toBeUndefined();
  expect(analyst.data.dossier.applicant).toEqual(MASKED);
  const list = await gql(`{ dossiers(first: 50) { nodes { applicant { idNumber } } } }`, {}, callers.analyst);
  expect(list.data.dossiers.nodes).toHaveLength(50);
  for (const n of list.data.dossiers.nodes) expect(n.applicant.idNumber).toMatch(/^\*{9}\d{3}$/);
  const admin = await dossierAs(callers.admin);
  expect(admin.data.dossier.applicant).toEqual(UNMASKED);
});

test("the portal's anonymous lookup works and has no personal data; the gateway refuses anonymous callers everything else", async () => {
  const portal = await gql(
    `query($c: String!) { dossierStatus(code: $c) { code status statusCode procedure { name } agency { name } } }`,
    { c: code },
    callers.anonymous,
  );
  expect(portal.errors).toBeUndefined();
  expect(portal.data.dossierStatus).toMatchObject({ code, status: 'DUOC_TIEP_NHAN', statusCode: 2 });
  expect(JSON.stringify(portal)).not.toMatch(/Ngọc|026190/);
  // The gateway refuses private fields to anonymous callers (no dossiers:read) before any subgraph is asked.
  const dossier = await dossierAs(callers.anonymous);
  expect(dossier.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  expect(dossier.data.dossier).toBeNull();
  const list = await gql(`{ dossiers(first: 5) { nodes { code } } }`, {}, callers.anonymous);
  expect(list.errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  // The subgraphs keep public views (published documents, a parcel without its certificates), but the
  // gateway's @requiresScopes is stricter and wins: documents and land records need a read scope, so an
  // anonymous caller is refused them and only the portal's lookup stays open.
  const pub = await gql(
    `{ documents(first: 5) { nodes { direction } } landParcel(id: "00598/1/1") { id certificates { id } } }`,
    {},
    callers.anonymous,
  );
  expect(pub.errors.map((e: any) => [e.extensions.code, e.path])).toEqual([
    ['UNAUTHORIZED_FIELD_OR_TYPE', ['documents']],
    ['UNAUTHORIZED_FIELD_OR_TYPE', ['landParcel']],
  ]);
  expect(pub.data).toBeNull(); // documents is non-null: the refusal nulls the whole answer
});

test('writes through the gateway: only an official of the agency concerned', async () => {
  const advance = (caller: Caller) =>
    gql(
      `mutation($c: ID!) { advanceDossierStatus(input: { code: $c, status: DANG_XU_LY }) { status } }`,
      { c: code },
      caller,
    );
  // Who is not an official at all is refused by the gateway (@policy official); an official of another
  // agency by the dossiers subgraph's row rule.
  for (const c of [callers.anonymous, callers.citizen(APPLICANT), callers.admin])
    expect((await advance(c)).errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  expect((await advance(callers.official(DIEN_BIEN_PHU))).errors[0].extensions.code).toBe('FORBIDDEN');
});

test('no log line of the gateway or any subgraph holds a citizen ID the requests carried', () => {
  const log = logLines.join('');
  expect(logLines.length).toBeGreaterThan(5); // the refusals above were logged…
  expect(log).toContain('FORBIDDEN');
  expect(log).not.toContain(APPLICANT); // …without the personal data of the requests
  expect(log).not.toContain(OTHER_CITIZEN);
  expect(log).not.toContain('Bích Ngọc');
});
