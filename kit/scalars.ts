/** Date and DateTime scalars shared by subgraphs; bad values are BAD_USER_INPUT naming the scalar. */
import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from './errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

function parseDate(v: unknown): string {
  if (typeof v !== 'string' || !isValidDate(v))
    throw badInput('Date', `expected YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return v;
}

function parseDateTime(v: unknown): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v))
    throw badInput('DateTime', `expected ISO-8601 with time zone, got ${JSON.stringify(v)}`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badInput('DateTime', `not a real instant: ${JSON.stringify(v)}`);
  return d.toISOString();
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (v) => String(v),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Resolvers of the shared SDL's scalars (kit/sdl/shared.graphql): spread into every subgraph's resolver map. */
export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar } as const;

/** The calendar date in Vietnam (UTC+7, no daylight saving) of an instant (ISO string or epoch ms). */
export const vietnamDate = (instant: string | number): string =>
  new Date((typeof instant === 'number' ? instant : Date.parse(instant)) + 7 * 3600_000)
    .toISOString()
    .slice(0, 10);

/** Today's date in Vietnam. */
export const todayInVietnam = (): string => vietnamDate(Date.now());

/** A positive integer id given as an ID string. */
export function parseIntId(raw: string, field: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badInput(field, `"${raw}" is not a valid id`);
  return Number(raw);
}
