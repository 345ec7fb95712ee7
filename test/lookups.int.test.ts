/**
 * Lookups by an unknown code or id behave the same way in every subgraph, as docs/api.md ("Lookups by
 * code or id") and each field's description say: a code or id that is not well formed is
 * `BAD_USER_INPUT` naming the argument, with the subgraph that refused it; a well-formed one that names
 * nothing is null with no error, in every lookup; the doc lists exactly these lookups and each
 * description says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { ADMIN, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack(); // unknown and malformed values only: the smallest seed does
}, 300_000);
afterAll(async () => stack?.close());

interface Lookup {
  field: string;
  service: string;
  /** The operation with `$ARG` where the value under test goes. */
  query: string;
  /** The argument under test: its name, a well-formed value naming nothing, a malformed value. */
  arg: string;
  unknown: string;
  malformed: string;
}

const LOOKUPS: Lookup[] = [
  {
    field: 'agency',
    service: 'documents',
    query: '{ agency(code: $ARG) { code } }',
    arg: 'code',
    unknown: '000.00.99.H99',
    malformed: 'garbage',
  },
  {
    field: 'administrativeUnit',
    service: 'documents',
    query: '{ administrativeUnit(code: $ARG) { id } }',
    arg: 'code',
    unknown: '99999',
    malformed: 'x',
  },
  {
    field: 'document',
    service: 'documents',
    query: '{ document(id: $ARG) { id } }',
    arg: 'id',
    unknown: '999999',
    malformed: 'doc-1',
  },
  {
    field: 'documentByNumber',
    service: 'documents',
    query: '{ documentByNumber(agencyCode: "000.00.21.H26", year: 2024, numberSymbol: $ARG) { id } }',
    arg: 'numberSymbol',
    unknown: '999/QĐ-UBND',
    malformed: 'x',
  },
  {
    field: 'landParcel',
    service: 'land',
    query: '{ landParcel(id: $ARG) { id } }',
    arg: 'id',
    unknown: '00598/99/99999',
    malformed: 'x',
  },
  {
    field: 'procedure',
    service: 'dossiers',
    query: '{ procedure(code: $ARG) { code } }',
    arg: 'code',
    unknown: '1.000656.000.00.99.H99',
    malformed: 'x',
  },
  {
    field: 'dossier',
    service: 'dossiers',
    query: '{ dossier(code: $ARG) { code } }',
    arg: 'code',
    unknown: '000.00.46.H62-170103-9999',
    malformed: 'x',
  },
  {
    field: 'dossierStatus',
    service: 'dossiers',
    query: '{ dossierStatus(code: $ARG) { code } }',
    arg: 'code',
    unknown: '000.00.46.H62-170103-9999',
    malformed: 'x',
  },
  {
    field: 'official',
    service: 'mail',
    query: '{ official(id: $ARG) { id } }',
    arg: 'id',
    unknown: '000.00.21.H26/9999',
    malformed: 'x',
  },
  {
    field: 'mailbox',
    service: 'mail',
    query: '{ mailbox(address: $ARG) { address } }',
    arg: 'address',
    unknown: 'nobody@hanoi.gov.vn',
    malformed: 'x',
  },
  {
    field: 'budgetLine',
    service: 'budgets',
    query: '{ budgetLine(id: $ARG) { id } }',
    arg: 'id',
    unknown: '999999',
    malformed: 'x',
  },
];

const run = (l: Lookup, value: string) =>
  stack.gql(l.query.replace('$ARG', JSON.stringify(value)), {}, ADMIN);

/** What a caller sees: null, or each error's code, field and service. */
const seen = (field: string, r: any) => ({
  data: r.data && field in r.data ? r.data[field] : 'missing',
  errors: (r.errors ?? []).map((e: any) => [
    e.extensions?.code,
    e.extensions?.field,
    e.extensions?.serviceName,
  ]),
});

test.each(LOOKUPS.map((l) => [l.field, l] as const))(
  '%s: a malformed value is BAD_USER_INPUT naming the argument',
  async (_f, l) => {
    expect(seen(l.field, await run(l, l.malformed))).toEqual({
      data: null,
      errors: [['BAD_USER_INPUT', l.arg, l.service]],
    });
  },
);

test.each(LOOKUPS.map((l) => [l.field, l] as const))(
  '%s: a well-formed value that names nothing is null, with no error',
  async (_f, l) => {
    expect(seen(l.field, await run(l, l.unknown))).toEqual({ data: null, errors: [] });
  },
);

test('docs/api.md lists every lookup as answering null, and every field description says so', () => {
  const doc = readFileSync(path.join(__dirname, '../docs/api.md'), 'utf8').replace(/\s+/g, ' ');
  const m = /answers \*\*null\*\*, with no error, from every lookup: ((?:`\w+`(?:, | and )?)+)/.exec(doc);
  const listed = m ? [...m[1]!.matchAll(/`(\w+)`/g)].map((x) => x[1]).sort() : [];
  expect(listed).toEqual(LOOKUPS.map((l) => l.field).sort());

  const schema = buildSchema(readFileSync(path.join(__dirname, '../clients/kit/schema.graphql'), 'utf8'));
  const fields = schema.getQueryType()!.getFields();
  const says = LOOKUPS.map((l) => [l.field, /null when/.test(fields[l.field]!.description ?? '')]);
  expect(says).toEqual(LOOKUPS.map((l) => [l.field, true]));
  expect(
    LOOKUPS.filter((l) => /NOT_FOUND/.test(fields[l.field]!.description ?? '')).map((l) => l.field),
  ).toEqual([]);
});
