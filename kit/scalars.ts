/** Date and DateTime scalars shared by subgraphs; bad values are BAD_USER_INPUT naming the scalar. */
import { GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from './calendar';
import { badInput } from './errors';

function parseDate(v: unknown): string {
  if (typeof v !== 'string' || !isIsoDate(v))
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

/** A positive integer id given as an ID string. */
export function parseIntId(raw: string, field: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw badInput(field, `"${raw}" is not a valid id`);
  return Number(raw);
}
