/** The audit log's pure parts: names of root fields, input field paths, record keys, read grouping, encoding. */
import {
  auditFieldNames,
  canonicalEntry,
  maskedArguments,
  readEntries,
  rootFields,
} from '../runtime/auditlog';
import { argumentPaths, recordIdsOf, recordKeyFields } from '../runtime/auditlog/mutations';
import type { GraphQLScalarType } from 'graphql';
import { buildSchema, parse } from 'graphql';

test('root fields are named after the subgraph, so they never collide in the supergraph', () => {
  expect(auditFieldNames('documents')).toEqual({ log: 'documentsAuditLog', chain: 'documentsAuditChain' });
  expect(auditFieldNames('land-records')).toEqual({
    log: 'landRecordsAuditLog',
    chain: 'landRecordsAuditChain',
  });
});

test('input fields are recorded as paths, without values; nested lists of inputs with []', () => {
  const args = Object.assign(Object.create(null) as object, {
    input: {
      agencyCode: '000.00.21.H26',
      note: null,
      skipped: undefined,
      signer: { fullName: 'Nguyễn Văn A' },
      recipientCodes: ['a', 'b'],
      newHolders: [
        { fullName: 'x', idNumber: '001' },
        { fullName: 'y', address: 'z' },
      ],
      amount: 5n,
    },
    id: '7',
  });
  expect(argumentPaths(args)).toEqual([
    'id',
    'input.agencyCode',
    'input.amount',
    'input.newHolders[].address',
    'input.newHolders[].fullName',
    'input.newHolders[].idNumber',
    'input.note',
    'input.recipientCodes',
    'input.signer.fullName',
  ]);
});

test('record ids come from the return type’s @key, else its id; composite keys joined', () => {
  const keys = recordKeyFields(`
    type Dossier @key(fields: "code") { code: ID! id: Int! }
    type Line @key(fields: "year agency { code }") { year: Int! }
    type LandChange { id: ID! }
    type Totals { n: Int! }
  `);
  expect(Object.fromEntries(keys)).toEqual({
    Dossier: ['code'],
    Line: ['year', 'agency'],
    LandChange: ['id'],
  });
  expect(recordIdsOf({ code: 'X-1', id: 9 }, keys.get('Dossier')!)).toEqual(['X-1']);
  expect(recordIdsOf([{ id: 1 }, { id: 2 }, null], ['id'])).toEqual(['1', '2']);
  expect(recordIdsOf({ year: 2025, agency: 'A' }, ['year', 'agency'])).toEqual(['2025 A']);
  expect(recordIdsOf({ n: 1 }, [])).toEqual([]);
  expect(recordIdsOf(null, ['id'])).toEqual([]);
});

test('disclosures become one entry per type and set of fields', () => {
  expect(
    readEntries(
      [
        { type: 'Applicant', id: 'd1', fields: ['name', 'idNumber'] },
        { type: 'Applicant', id: 'd2', fields: ['idNumber', 'name'] },
        { type: 'Applicant', id: 'd3', fields: ['name'] },
        { type: 'Holder', id: 'h1', fields: ['name'] },
      ],
      'dossiers',
    ),
  ).toEqual([
    {
      kind: 'read',
      operation: 'dossiers',
      type: 'Applicant',
      fields: ['idNumber', 'name'],
      recordIds: ['d1', 'd2'],
    },
    { kind: 'read', operation: 'dossiers', type: 'Applicant', fields: ['name'], recordIds: ['d3'] },
    { kind: 'read', operation: 'dossiers', type: 'Holder', fields: ['name'], recordIds: ['h1'] },
  ]);
});

test('the operation of a read is its root fields (the named operation when there are several)', () => {
  expect(
    rootFields(parse(`{ __typename a: dossier(code: "x") { code } procedures { nodes { code } } }`)),
  ).toBe('dossier,procedures');
  expect(
    rootFields(parse(`query A { x } query B { _entities(representations: []) { __typename } }`), 'B'),
  ).toBe('_entities');
});

test('the canonical encoding is unambiguous: lengths in UTF-8 bytes, null distinct from empty', () => {
  const entry = {
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    requestId: 'r',
    subject: null,
    role: 'admin',
    agencyCode: '',
    kind: 'read' as const,
    operation: 'op',
    type: 'Ả',
    fields: ['a', 'bc'],
    recordIds: [],
  };
  expect(canonicalEntry(entry)).toBe('1:124:2026-01-01T00:00:00.000Z1:r-5:admin0:4:read2:op3:Ả2[1:a2:bc]0[]');
});

test('an entry with written values encodes them last; without, it encodes exactly as before migration 002', () => {
  const entry = {
    seq: 1,
    at: '2026-01-01T00:00:00.000Z',
    requestId: 'r',
    subject: null,
    role: 'admin',
    agencyCode: '',
    kind: 'mutation' as const,
    operation: 'op',
    type: 'T',
    fields: [],
    recordIds: [],
  };
  const old = '1:124:2026-01-01T00:00:00.000Z1:r-5:admin0:8:mutation2:op1:T0[]0[]';
  expect(canonicalEntry(entry)).toBe(old);
  expect(canonicalEntry({ ...entry, written: null })).toBe(old);
  expect(canonicalEntry({ ...entry, written: '{"a": "Ả"}' })).toBe(`${old}12:{"a": "Ả"}`); // Ả is 3 bytes;
});

test('written arguments: @personalData input fields masked by their mask (HIDE by default), scalars as JSON', () => {
  const schema = buildSchema(`
    directive @personalData(mask: String) on INPUT_FIELD_DEFINITION | ARGUMENT_DEFINITION
    scalar Vnd
    input Holder { fullName: String! @personalData(mask: NAME) idNumber: String @personalData(mask: DIGITS)
                   note: String @personalData kind: String }
    input In { date: String! amount: Vnd holders: [Holder!] }
    type Query { x: Int }
    type Mutation { change(input: In!, secret: String @personalData): Int }
  `);
  // A custom scalar whose internal value is a bigint (budgets' Vnd).
  Object.assign(schema.getType('Vnd') as GraphQLScalarType, {
    parseValue: (v: unknown) => BigInt(String(v)),
  });
  const args = schema.getMutationType()!.getFields().change!.args;
  expect(
    maskedArguments(
      {
        input: {
          date: '2025-06-16',
          amount: 9007199254740993n,
          holders: [{ fullName: 'Nguyễn Văn A', idNumber: '001085012345', note: 'hộ nghèo', kind: 'CNV' }],
        },
        secret: 'x',
      },
      args,
    ),
  ).toEqual({
    input: {
      date: '2025-06-16',
      amount: '9007199254740993',
      holders: [{ fullName: 'N*** V** A', idNumber: '*********345', note: '[personal data]', kind: 'CNV' }],
    },
    secret: '[personal data]',
  });
});
