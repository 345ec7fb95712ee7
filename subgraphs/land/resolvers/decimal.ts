/**
 * The Decimal scalar: exact decimal numbers as strings on the wire (`"152.5"`), never through a JS
 * float. Input accepts a string (or an integer literal) of digits with an optional fraction; a refusal is
 * an InvalidValueError with the reason, which the server turns into BAD_USER_INPUT naming the argument.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { InvalidValueError } from '../../../kit';

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

function parse(v: unknown): string {
  const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !DECIMAL.test(s))
    throw new InvalidValueError(
      `expected a decimal number as a string like "152.5", got ${String(JSON.stringify(v) ?? v).slice(0, 60)}`,
    );
  return s;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  serialize: (v) => String(v),
  parseValue: parse,
  parseLiteral: (ast) =>
    parse(ast.kind === Kind.STRING ? ast.value : ast.kind === Kind.INT ? Number(ast.value) : undefined),
});
