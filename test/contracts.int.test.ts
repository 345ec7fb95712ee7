/**
 * Schema contracts through the gateway (issue 19): a partner whose agency is given the
 * `partner-dossiers` contract (schema/contracts.json: everything but what the budgets and mail
 * subgraphs tag) sees only that contract in introspection and in errors — a field outside it is an
 * unknown field, by name, alias, fragment or entity reference — while row rules and masking still
 * apply inside it. An official on `/graphql` still sees the whole graph; `/graphql/contracts/<name>`
 * serves a contract to anyone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Caller } from '../kit';
import { callers } from '../kit/testing';
import { ROOT } from '../schema/registry';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const LAP_THACH = '000.00.46.H62';
const VINH_PHUC = '000.00.00.H62'; // given the contract by agency
const DIEN_BIEN_PHU = '000.00.94.H18'; // a partner of another agency, not given a contract
const PARTNER = callers.partner(VINH_PHUC, 'dossiers:read', 'budgets:read', 'mail:read');
const UNMAPPED = callers.partner(DIEN_BIEN_PHU, 'dossiers:read', 'budgets:read');

let stack: FederatedStack;
let code: string;

const gql = (query: string, caller: Caller, variables: Record<string, unknown> = {}): Promise<any> =>
  stack.gql(query, variables, caller);

async function post(
  pathname: string,
  query: string,
  caller?: Caller,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller) headers.authorization = `Bearer ${await stack.token(caller)}`;
  const res = await fetch(new URL(pathname, stack.url), {
    method: 'POST',
    headers,
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() };
}

const messages = (r: any): string[] => (r.errors ?? []).map((e: any) => e.message);
/** The messages without their "Did you mean …?" part, after checking that it names nothing excluded. */
const bare = (r: any): string[] =>
  messages(r).map((m) => {
    const [, suggestion = ''] = /( Did you mean [^?]*\?)/.exec(m) ?? [];
    expect(suggestion).not.toMatch(/budget|mail|official|message/i);
    return m.replace(suggestion, '');
  });
const codes = (r: any): string[] => (r.errors ?? []).map((e: any) => e.extensions?.code);

/** The committed contracts, plus `wide` (only mail excluded) to try widening a partner's view. */
function contractsFile(): string {
  const committed = JSON.parse(readFileSync(path.join(ROOT, 'schema/contracts.json'), 'utf8'));
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'contracts-')), 'contracts.json');
  writeFileSync(file, JSON.stringify({ ...committed, wide: { include: [], exclude: ['mail'] } }));
  return file;
}

beforeAll(async () => {
  stack = await startFederatedStack({
    gatewayEnv: {
      GATEWAY_CONTRACTS: contractsFile(),
      GATEWAY_PARTNER_CONTRACTS: `${VINH_PHUC}=partner-dossiers`,
    },
  });
  const received = await gql(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    callers.official(LAP_THACH),
    {
      i: {
        agencyCode: LAP_THACH,
        procedureCode: '1.000656',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký khai sinh có yếu tố nước ngoài',
        applicant: { kind: 'CONG_DAN', name: 'Trần Thị Bích Ngọc', idNumber: '026190654321' },
        receivedAt: '2025-03-09T09:00:00+07:00',
      },
    },
  );
  expect(received.errors).toBeUndefined();
  code = received.data.receiveDossier.code;
}, 180_000);

afterAll(async () => stack?.close());

test('introspection shows the partner only its contract; an official the whole graph', async () => {
  const q = `{ __schema { queryType { fields { name } } } agency: __type(name: "Agency") { fields { name } } budget: __type(name: "BudgetLine") { name } }`;
  const partner = await gql(q, PARTNER);
  expect(partner.errors).toBeUndefined();
  const roots = partner.data.__schema.queryType.fields.map((f: any) => f.name);
  expect(roots).toEqual(expect.arrayContaining(['dossier', 'dossiers', 'documents', 'agency']));
  expect(roots).not.toEqual(expect.arrayContaining(['budgetLines']));
  for (const hidden of [
    'budgetLines',
    'budgetLine',
    'budgetDisclosure',
    'official',
    'officials',
    'mailbox',
    'messages',
  ])
    expect(roots).not.toContain(hidden);
  const agencyFields = partner.data.agency.fields.map((f: any) => f.name);
  expect(agencyFields).toContain('dossierStats');
  expect(agencyFields).not.toContain('budget');
  expect(agencyFields).not.toContain('mailStats');
  expect(partner.data.budget).toBeNull();

  const official = await gql(q, callers.official(LAP_THACH));
  expect(official.errors).toBeUndefined();
  expect(official.data.__schema.queryType.fields.map((f: any) => f.name)).toContain('budgetLines');
  expect(official.data.agency.fields.map((f: any) => f.name)).toEqual(
    expect.arrayContaining(['budget', 'mailStats']),
  );
  expect(official.data.budget).toEqual({ name: 'BudgetLine' });
});

test('a field outside the contract is an unknown field, without a suggestion that names it', async () => {
  const r = await gql(`{ budgetLines(first: 1) { nodes { id } } }`, PARTNER);
  expect(codes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(bare(r)).toEqual(['Cannot query field "budgetLines" on type "Query".']);
  expect(r.data).toBeUndefined();
  // A near miss is not completed into an excluded name either.
  const typo = await gql(`{ budgetLine(id: "x") { id } }`, PARTNER);
  expect(bare(typo)).toEqual(['Cannot query field "budgetLine" on type "Query".']);
  // A name the whole graph does not have either: Apollo's own error would suggest "budgetLines".
  const near = await gql(`{ budgetLinez(first: 1) { totalCount } }`, PARTNER);
  expect(codes(near)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(bare(near)).toEqual(['Cannot query field "budgetLinez" on type "Query".']);
  // Outside the contract, the same partner token shape is not refused by validation but by scopes/rows.
  const unmapped = await gql(`{ budgetLines(first: 1) { nodes { id } } }`, UNMAPPED);
  expect(codes(unmapped)).not.toContain('GRAPHQL_VALIDATION_FAILED');
});

test('aliases, fragments on excluded types and entity references cannot reach excluded fields', async () => {
  const alias = await gql(`{ x: budgetLines(first: 1) { totalCount } }`, PARTNER);
  expect(bare(alias)).toEqual(['Cannot query field "budgetLines" on type "Query".']);

  const fragment = await gql(
    `query { agency(code: "${VINH_PHUC}") { code ...B } } fragment B on BudgetLine { id }`,
    PARTNER,
  );
  expect(codes(fragment)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(bare(fragment)).toHaveLength(1);
  expect(bare(fragment)[0]).toMatch(/^Unknown type "BudgetLine"\./);
  expect(bare(fragment)[0]).not.toMatch(/Did you mean .*(Budget|Mail|Official)/);

  const inline = await gql(
    `{ agency(code: "${VINH_PHUC}") { ... on Agency { budget(year: 2025) { __typename } } } }`,
    PARTNER,
  );
  expect(bare(inline)).toEqual(['Cannot query field "budget" on type "Agency".']);

  // Through an entity the contract does expose: the dossier's agency, then a field mail adds to it.
  const reference = await gql(
    `{ dossier(code: "${code}") { agency { mailStats(period: { year: 2025 }) { __typename } } } }`,
    PARTNER,
  );
  expect(bare(reference)).toEqual(['Cannot query field "mailStats" on type "Agency".']);

  const entities = await gql(`{ _entities(representations: []) { __typename } }`, PARTNER);
  expect(bare(entities)).toEqual(['Cannot query field "_entities" on type "Query".']);

  // Introspection mixed with data under a contract is refused, not answered from the whole graph.
  const mixed = await gql(
    `{ __type(name: "BudgetLine") { name } dossiers(first: 1) { totalCount } }`,
    PARTNER,
  );
  expect(codes(mixed)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
});

test('row rules and masking still apply inside the contract', async () => {
  const inside = await gql(`{ dossier(code: "${code}") { code applicant { name idNumber } } }`, PARTNER);
  expect(inside.errors).toBeUndefined();
  expect(inside.data.dossier).toEqual({
    code,
    applicant: { name: 'T*** T** B*** N***', idNumber: '*********321' },
  });
  // A partner without dossiers:read given the same contract is still refused by the scope check.
  const noScope = await gql(
    `{ dossier(code: "${code}") { code } }`,
    callers.partner(VINH_PHUC, 'documents:read'),
  );
  expect(codes(noScope)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
});

test('/graphql/contracts/<name> serves the contract to any caller, introspection as on /graphql; an unknown name is NOT_FOUND', async () => {
  const r = await post(
    '/graphql/contracts/partner-dossiers',
    `{ budgetLines(first: 1) { totalCount } }`,
    callers.official(LAP_THACH),
  );
  expect(codes(r.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(bare(r.body)).toEqual(['Cannot query field "budgetLines" on type "Query".']);
  const ok = await post('/graphql/contracts/partner-dossiers', `{ procedures(first: 1) { totalCount } }`);
  expect(ok.status).toBe(200);
  expect(ok.body.errors).toBeUndefined();
  // A partner given partner-dossiers keeps it on another contract's path (here, a wider one).
  const wider = await post('/graphql/contracts/wide', `{ budgetLines(first: 1) { totalCount } }`, PARTNER);
  expect(bare(wider.body)).toEqual(['Cannot query field "budgetLines" on type "Query".']);
  // Introspection on a contract's path follows the graph's visibility rules: not for anonymous callers.
  const anonymous = await post('/graphql/contracts/partner-dossiers', `{ __schema { queryType { name } } }`);
  expect(anonymous.body).toEqual({
    errors: [
      {
        message: 'GraphQL introspection is not allowed for this caller',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ],
  });
  const official = await post(
    '/graphql/contracts/partner-dossiers',
    `{ __schema { queryType { name } } }`,
    callers.official(LAP_THACH),
  );
  expect(official.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  const unknown = await post('/graphql/contracts/nope', `{ __typename }`);
  expect(unknown.status).toBe(404);
  expect(codes(unknown.body)).toEqual(['NOT_FOUND']);
});
