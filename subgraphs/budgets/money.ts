/**
 * Amounts in integer VND, exact at any size: the `Vnd` scalar (decimal strings on the wire), display in
 * millions of VND, and rates, all in BigInt arithmetic — never through a JS number until the final,
 * rounded display value.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { InvalidValueError } from '../../kit';

const INT8_MAX = 9_223_372_036_854_775_807n;
const INT8_MIN = -9_223_372_036_854_775_808n;

/**
 * Parses an amount given by a client: a string of digits (optional minus), or a safe-integer number.
 * Refusals are InvalidValueErrors with the reason; the server names the argument (kit/runtime/server.ts).
 */
export function parseVnd(v: unknown): bigint {
  let n: bigint;
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v.trim())) n = BigInt(v.trim());
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else
    throw new InvalidValueError(
      `expected an integer amount of VND as a string of digits, e.g. "9007199254740993", got ${shown(v)}`,
    );
  if (n > INT8_MAX || n < INT8_MIN) throw new InvalidValueError(`${n} VND is out of range (±2^63)`);
  return n;
}

/** A client's value in a reason, shortened: the message must not echo a megabyte. */
function shown(v: unknown): string {
  const s = String(JSON.stringify(v) ?? v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function serializeVnd(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new TypeError(`Vnd cannot represent ${JSON.stringify(v)}`);
}

export const VndScalar = new GraphQLScalarType<bigint, string>({
  name: 'Vnd',
  description: 'Integer VND as a decimal string (exact beyond 2^53).',
  serialize: serializeVnd,
  parseValue: (v) => parseVnd(v),
  // An integer literal in the query text is exact (its digits are kept), unlike a JSON number variable.
  parseLiteral: (ast) => parseVnd(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
});

/** Rounds num ÷ den half away from zero to an integer (den > 0). */
function divRound(num: bigint, den: bigint): bigint {
  const q = (2n * (num < 0n ? -num : num) + den) / (2n * den);
  return num < 0n ? -q : q;
}

/** Millions of VND rounded to 3 decimals (to 1,000 VND), as the number a report shows. */
export function millions(vnd: string | bigint): number {
  const thousands = divRound(BigInt(vnd), 1000n);
  const sign = thousands < 0n ? '-' : '';
  const abs = (thousands < 0n ? -thousands : thousands).toString().padStart(4, '0');
  return Number(`${sign}${abs.slice(0, -3)}.${abs.slice(-3)}`);
}

export const millionsOrNull = (vnd: string | null): number | null => (vnd === null ? null : millions(vnd));

/** part ÷ whole to 4 decimals, half up; null when whole is 0. */
export function rate(part: string | bigint, whole: string | bigint): number | null {
  const w = BigInt(whole);
  if (w === 0n) return null;
  return Number(divRound(BigInt(part) * 10_000n, w)) / 10_000;
}
