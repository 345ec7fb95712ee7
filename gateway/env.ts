/**
 * Environment settings as zod schemas. A setting is one variable: its schema takes the raw string
 * (or undefined when unset) and yields the typed value, with `.default()` for unset ones. Every
 * failure message says what the value must be and quotes what was given, so `readEnv` can report
 * it as one line naming the variable.
 */
import { z } from 'zod';
import { ConfigError } from './errors';

/** Schemas keyed by the variable name they read, e.g. `{ GATEWAY_SLOW_MS: env.integer(0, 3_600_000) }`. */
export type EnvShape = Record<string, z.ZodType<unknown, string | undefined>>;
/** The typed values of an `EnvShape`. */
export type EnvValues<S extends EnvShape> = { readonly [K in keyof S]: z.output<S[K]> };

type Env = Readonly<Record<string, string | undefined>>;

const quoted = (input: unknown) => JSON.stringify(String(input));

/** A whole number from `min` to `max` (surrounding spaces allowed). */
function integer(min: number, max: number, what = `an integer from ${min} to ${max}`) {
  return z.string().transform((raw, ctx) => {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${what}, got ${quoted(raw)}` });
      return z.NEVER;
    }
    return n;
  });
}

/** true/1/yes/on or false/0/no/off, any case. */
function boolean() {
  return z
    .string()
    .trim()
    .pipe(
      z.stringbool({
        truthy: ['true', '1', 'yes', 'on'],
        falsy: ['false', '0', 'no', 'off'],
        error: (issue) => `must be true or false, got ${quoted(issue.input)}`,
      }),
    );
}

/** Any text but blank; trimmed. */
function text() {
  return z
    .string()
    .trim()
    .min(1, { error: () => 'must not be empty' });
}

/** One of `values`, compared case-insensitively (`DEBUG` is `debug`). */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(values, { error: (issue) => `must be one of ${values.join(', ')}, got ${quoted(issue.input)}` }),
    );
}

/** An absolute http(s) URL, normalised. */
function httpUrl() {
  return z.string().transform((raw, ctx) => {
    const url = URL.canParse(raw.trim()) ? new URL(raw.trim()) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got ${quoted(raw)}` });
      return z.NEVER;
    }
    return url.toString();
  });
}

export const env = {
  integer,
  port: () => integer(0, 65535, 'a port number 0-65535'),
  boolean,
  text,
  oneOf,
  httpUrl,
};

/**
 * Reads the variables of `shape` from `source`. Throws a ConfigError naming the first bad variable
 * (`GATEWAY_PORT: must be a port number 0-65535, got "x"`).
 */
export function readEnv<S extends EnvShape>(source: Env, shape: S): EnvValues<S> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) input[name] = source[name];
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? '?'), issue.message);
  }
  return result.data as EnvValues<S>;
}
