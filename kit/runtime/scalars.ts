/**
 * Date and DateTime scalars shared by subgraphs. A value they refuse throws an InvalidValueError with
 * the real reason (`"2026-02-30" is not a calendar date (February 2026 has 28 days)`, `year 0 is
 * outside 1900–2100`); the server turns it into BAD_USER_INPUT naming the argument's path
 * (kit/runtime/server.ts, common/inputPath.ts). Nothing is rolled over or clamped: 2026-02-30 is refused, never
 * stored as 2 March. Bounds: docs/input-validation.md.
 */
import { GraphQLScalarType, Kind, print } from 'graphql';
import type { ValueNode } from 'graphql';
import { badInput, InvalidValueError } from './errors';

/** The years a Date or DateTime may name: the range of every system's records and plans. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Why `s` (already `YYYY-MM-DD` in shape) is not a date we accept, or null. */
function dateProblem(s: string): string | null {
  const [, y, m, d] = DATE.exec(s)!.map(Number) as [number, number, number, number];
  if (y < MIN_YEAR || y > MAX_YEAR) return `year ${y} is outside ${MIN_YEAR}–${MAX_YEAR}`;
  if (m < 1 || m > 12) return `"${s}" is not a calendar date (there is no month ${m})`;
  const last = daysIn(y, m);
  if (d < 1 || d > last) return `"${s}" is not a calendar date (${MONTHS[m - 1]} ${y} has ${last} days)`;
  return null;
}

/** A JSON-ish rendering of a value a client sent, shortened: the reason must not echo a megabyte. */
function shown(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function parseDate(v: unknown): string {
  if (typeof v !== 'string' || !DATE.test(v))
    throw new InvalidValueError(`expected a date written YYYY-MM-DD, got ${shown(v)}`);
  const problem = dateProblem(v);
  if (problem) throw new InvalidValueError(problem);
  return v;
}

function parseDateTime(v: unknown): string {
  const m = typeof v === 'string' ? DATE_TIME.exec(v) : null;
  if (!m)
    throw new InvalidValueError(
      `expected an ISO-8601 instant with a time zone like 2024-03-14T08:30:00+07:00, got ${shown(v)}`,
    );
  const problem = dateProblem(m[1]!);
  if (problem) throw new InvalidValueError(problem);
  const [hh, mm, ss, oh, om] = [m[2], m[3], m[4] ?? '0', m[6] ?? '0', m[7] ?? '0'].map(Number) as number[];
  if (hh! > 23 || mm! > 59 || ss! > 59)
    throw new InvalidValueError(`${shown(v)} is not a time of day (hours 00–23, minutes and seconds 00–59)`);
  if (oh! > 14 || om! > 59)
    throw new InvalidValueError(`${shown(v)} has no such UTC offset (at most ±14:00)`);
  return new Date(v as string).toISOString();
}

/** `parseLiteral` of a scalar written as a string: other kinds of literal are refused as written. */
function fromString<T>(parse: (v: string) => T): (ast: ValueNode) => T {
  return (ast) => {
    if (ast.kind !== Kind.STRING) throw new InvalidValueError(`expected a string, got ${print(ast)}`);
    return parse(ast.value);
  };
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (v) => String(v),
  parseValue: parseDate,
  parseLiteral: fromString(parseDate),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: parseDateTime,
  parseLiteral: fromString(parseDateTime),
});

/** Resolvers of the shared SDL's scalars (kit/runtime/sdl/shared.graphql): spread into every subgraph's resolver map. */
export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar } as const;

/** A positive integer id given as an ID string. */
export function parseIntId(raw: string, field: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badInput(field, `"${raw}" is not a valid id`);
  return Number(raw);
}
