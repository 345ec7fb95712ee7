/**
 * Malformed-input cases generated from a schema (test/input-validation.int.test.ts): for every field
 * with arguments, every leaf of its arguments (recursing into input objects, lists at item 0) gets the
 * bad values of its type — impossible dates, years 0 and 10000, huge and negative numbers, blank and
 * very long strings, wrong enum values, tampered cursors — each in an operation whose other
 * arguments hold valid values, sent once in variables and once as literals. docs/input-validation.md
 * says which code each class gets; every case must name the leaf's path in `extensions.field`.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLSchema } from 'graphql';

/** One bad value of a leaf's type and what the refusal must say. */
export interface BadValue {
  label: string;
  value: unknown;
  /** The reason after `<path>: ` in the message. */
  reason: RegExp;
  /** graphql-js's own type check refuses the literal at validation (GRAPHQL_VALIDATION_FAILED). */
  typeError?: boolean;
  /**
   * A tampered cursor that is still a well-formed position (a code for a code): it may be answered
   * (rows after that position, as the caller may read them) — but never with an internal error.
   */
  mayAnswer?: boolean;
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
const NOT_A_CURSOR = /^is not a valid cursor$/;

/** `key` with every number, or every string, replaced (`keep` for the other kind). */
function tamper(key: unknown, num: (n: number) => unknown, str: (s: string) => unknown): unknown {
  if (Array.isArray(key)) return key.map((k) => tamper(k, num, str));
  if (key && typeof key === 'object')
    return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, tamper(v, num, str)]));
  if (typeof key === 'number') return num(key);
  if (typeof key === 'string') return str(key);
  return key;
}

/**
 * Tampered cursors for an `after` argument: not base64url JSON, the wrong shape, and a real cursor of
 * the connection (`real`, when it had a row) with its numbers or strings changed.
 */
export function tamperedCursors(real: string | null): BadValue[] {
  const out: BadValue[] = [
    { label: 'cursor not base64url JSON', value: '%%%not-a-cursor', reason: NOT_A_CURSOR },
    { label: 'cursor of the wrong shape', value: b64({ x: 1 }), reason: NOT_A_CURSOR },
  ];
  if (!real) return out;
  const key: unknown = JSON.parse(Buffer.from(real, 'base64url').toString('utf8'));
  const same = <T>(x: T): T => x;
  const hasNumbers = JSON.stringify(tamper(key, () => '#', same)) !== JSON.stringify(key);
  const hasStrings = JSON.stringify(tamper(key, same, () => '#')) !== JSON.stringify(key);
  if (hasNumbers) {
    out.push({
      label: 'cursor number 1e21',
      value: b64(tamper(key, () => 1e21, same)),
      reason: NOT_A_CURSOR,
    });
    out.push({
      label: 'cursor number beyond int',
      value: b64(tamper(key, () => 2 ** 31, same)),
      reason: NOT_A_CURSOR,
      mayAnswer: true,
    });
    out.push({
      label: 'cursor number -1',
      value: b64(tamper(key, () => -1, same)),
      reason: NOT_A_CURSOR,
      mayAnswer: true,
    });
  }
  if (hasStrings) {
    for (const bad of ['2026-02-30T03:00:00.000Z', '0000-01-01', '1'])
      out.push({
        label: `cursor string ${bad}`,
        value: b64(tamper(key, same, () => bad)),
        reason: NOT_A_CURSOR,
        mayAnswer: true,
      });
  }
  return out;
}

const ANY = /\S/;
const dates = (suffix: string, shape: RegExp): BadValue[] => [
  {
    label: 'impossible date',
    value: `2026-02-30${suffix}`,
    reason: /"2026-02-30" is not a calendar date \(February 2026 has 28 days\)/,
  },
  { label: 'year 0', value: `0000-01-01${suffix}`, reason: /^year 0 is outside 1900–2100$/ },
  { label: 'year 10000', value: `10000-01-01${suffix}`, reason: shape },
];

/** Bad values by the leaf's named type; `first`-like slicing arguments get a size above every page cap. */
export function badValuesOf(typeName: string, argName: string, enumType: boolean): BadValue[] {
  if (enumType)
    return [
      {
        label: 'wrong enum value',
        value: 'NOT_A_VALUE',
        reason: /^Value "NOT_A_VALUE" does not exist in "\w+" enum\.$/,
        typeError: true,
      },
    ];
  switch (typeName) {
    case 'Date':
      return dates('', /^expected a date written YYYY-MM-DD, got "10000-01-01"$/);
    case 'DateTime':
      return dates('T03:00:00+07:00', /^expected an ISO-8601 instant with a time zone/);
    case 'Int':
      return [
        {
          label: 'Int overflow',
          value: 2 ** 31,
          reason: /^Int cannot represent non 32-bit signed integer value: 2147483648$/,
          typeError: true,
        },
        { label: 'negative', value: -1, reason: ANY },
        // The slicing argument's largest Int would be refused by the cost limit first (no argument named).
        { label: 'huge', value: argName === 'first' ? 1001 : 2 ** 31 - 1, reason: ANY },
      ];
    case 'Float':
      return [
        { label: 'huge', value: 1e308, reason: ANY },
        { label: 'huge negative', value: -1e308, reason: ANY },
      ];
    case 'Boolean':
      return [
        {
          label: 'not a boolean',
          value: 'yes',
          reason: /^Boolean cannot represent a non boolean value: "yes"$/,
          typeError: true,
        },
      ];
    case 'String':
    case 'ID':
      return [
        { label: 'empty string', value: '', reason: /^must not be blank/ },
        {
          label: 'very long string',
          value: 'x'.repeat(20_000),
          reason: /^must be at most [\d,]+ characters$/,
        },
      ];
    case 'Vnd':
      return [
        {
          label: 'not an amount',
          value: 'abc',
          reason: /^expected an integer amount of VND as a string of digits/,
        },
        {
          label: 'amount beyond bigint',
          value: '9223372036854775808',
          reason: /^9223372036854775808 VND is out of range/,
        },
      ];
    case 'Decimal':
      return [
        {
          label: 'not a decimal',
          value: '1e999',
          reason: /^expected a decimal number as a string like "152.5"/,
        },
      ];
    case 'EdxmlPackage':
      // Its 900,000-character cap is past the gateway's variables limit (64 KiB by default), which
      // refuses first with PAYLOAD_TOO_LARGE; the cap itself: subgraphs/documents/test/edxml.int.test.ts.
      return [{ label: 'empty package', value: '', reason: /^must not be blank/ }];
    default:
      throw new Error(`no bad values for the scalar ${typeName}: add them to test/support/inputCases.ts`);
  }
}

/** A leaf of a field's arguments: its path (`input.results[0].area`) and type. */
export interface Leaf {
  path: (string | number)[];
  typeName: string;
  enumType: boolean;
}

export const printPath = (path: (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

function leavesOf(type: GraphQLInputType, path: (string | number)[], seen: ReadonlySet<string>): Leaf[] {
  const t = getNullableType(type);
  if (isListType(t)) return leavesOf(t.ofType, [...path, 0], seen);
  if (isInputObjectType(t)) {
    if (seen.has(t.name)) return [];
    const next = new Set(seen).add(t.name);
    return Object.values(t.getFields()).flatMap((f) => leavesOf(f.type, [...path, f.name], next));
  }
  const named = getNamedType(t);
  return [{ path, typeName: named.name, enumType: isEnumType(named) }];
}

export const leaves = (args: readonly GraphQLArgument[]): Leaf[] =>
  args.flatMap((a) => leavesOf(a.type, [a.name], new Set()));

/** Every field of an object type that takes arguments, by coordinate `Type.field`. */
export function fieldsWithArguments(schema: GraphQLSchema): [string, GraphQLField<unknown, unknown>][] {
  const out: [string, GraphQLField<unknown, unknown>][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const f of Object.values(type.getFields()))
      if (f.args.length) out.push([`${type.name}.${f.name}`, f]);
  }
  return out;
}

/** Valid values of scalars where a test gives none (the leaf under test is the only bad one). */
const SAMPLE_SCALARS: Record<string, unknown> = {
  Date: '2024-06-03',
  DateTime: '2024-06-03T09:00:00+07:00',
  Int: 1,
  Float: 0,
  Boolean: false,
  String: 'Kiểm thử',
  ID: '1',
  Vnd: '1000',
  Decimal: '100',
};

/** A minimal valid value of an input type: required input fields only, one list item. */
export function sampleOf(type: GraphQLInputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [sampleOf(t.ofType)];
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) if (isNonNullType(f.type)) out[f.name] = sampleOf(f.type);
    return out;
  }
  if (isEnumType(t)) return t.getValues()[0]!.name;
  return SAMPLE_SCALARS[t.name] ?? 'x';
}

/** `value` (of `type`) with the leaf at `path` set to `leaf`; missing objects and lists are sampled. */
export function setAt(
  value: unknown,
  type: GraphQLInputType,
  path: (string | number)[],
  leaf: unknown,
): unknown {
  if (!path.length) return leaf;
  const t = getNullableType(type);
  if (isListType(t)) {
    const items = Array.isArray(value) && value.length ? [...(value as unknown[])] : [sampleOf(t.ofType)];
    items[0] = setAt(items[0], t.ofType, path.slice(1), leaf);
    return items;
  }
  if (!isInputObjectType(t)) throw new Error(`cannot go into ${String(t)} at ${printPath(path)}`);
  const name = path[0] as string;
  const obj = { ...((value ?? sampleOf(t)) as Record<string, unknown>) };
  obj[name] = setAt(obj[name], t.getFields()[name]!.type, path.slice(1), leaf);
  return obj;
}

/** A GraphQL literal of `value` for an input type (enum values bare, strings quoted). */
export function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const t = getNullableType(type);
  if (isListType(t)) return `[${(value as unknown[]).map((v) => literal(v, t.ofType)).join(', ')}]`;
  if (isInputObjectType(t)) {
    const fields = t.getFields();
    return `{ ${Object.entries(value as object)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]!.type)}`)
      .join(', ')} }`;
  }
  if (isEnumType(t) && typeof value === 'string' && /^[_A-Za-z]\w*$/.test(value)) return value;
  if (isScalarType(t) && typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
