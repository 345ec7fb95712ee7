/**
 * Environment settings as zod schemas — the one env reader of every process: the gateway, each
 * subgraph (kit/runtime/config.ts), `npm start` and the benchmark. Each declares its own settings here-shaped;
 * none imports another's. A setting is one variable: its schema takes the raw string (or undefined when
 * unset) and yields the typed value, with `.default()` for unset ones. Every failure message says what
 * the value must be and quotes what was given, so `readEnv` reports it as one line naming the variable
 * (`GATEWAY_PORT: must be a port number 0-65535, got "x"`).
 */
import { z } from 'zod';

/** A bad setting; the message names it: `DOCUMENTS_PORT: must be …, got "eighty"`. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Schemas keyed by the variable name they read, e.g. `{ GATEWAY_SLOW_MS: env.integer(0, 3_600_000) }`. */
export type EnvShape = Record<string, z.ZodType<unknown, string | undefined>>;
/** The typed values of an `EnvShape`. */
export type EnvValues<S extends EnvShape> = { readonly [K in keyof S]: z.output<S[K]> };

export type Env = Readonly<Record<string, string | undefined>>;

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

/** A decimal number in (min, max]. */
function decimal(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!(n > min && n <= max)) {
      ctx.addIssue({ code: 'custom', message: `must be a number in (${min}, ${max}], got ${quoted(raw)}` });
      return z.NEVER;
    }
    return n;
  });
}

/** A `postgres://` (or `postgresql://`) URL. */
function postgresUrl() {
  return z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, {
      error: (issue) => `must be a postgres:// URL, got ${quoted(issue.input)}`,
    });
}

/** A `redis://` (or `rediss://`) URL. */
function redisUrl() {
  return z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S*$/, {
      error: (issue) => `must be a redis:// or rediss:// URL, got ${quoted(issue.input)}`,
    });
}

export const env = {
  integer,
  decimal,
  port: () => integer(0, 65535, 'a port number 0-65535'),
  boolean,
  text,
  oneOf,
  /** Case-insensitive: `DEBUG` is `debug`. */
  logLevel: () => oneOf(LOG_LEVELS),
  httpUrl,
  postgresUrl,
  redisUrl,
};

/** `documents` → `DOCUMENTS_`, `land-records` → `LAND_RECORDS_`: the prefix of a process's own settings. */
export const envPrefix = (name: string): string => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;

/**
 * A misspelt setting is an error, not a silent default: every variable under `prefix` must be one of
 * `known`. (Variables of other prefixes belong to other processes and are ignored.)
 */
export function rejectUnknown(source: Env, prefix: string, known: Iterable<string>): void {
  const names = new Set(known);
  for (const name of Object.keys(source))
    if (name.startsWith(prefix) && source[name] !== undefined && !names.has(name))
      throw new ConfigError(name, `unknown setting (known: ${[...names].sort().join(', ')})`);
}

/**
 * Reads the variables of `shape` from `source`. Throws a ConfigError naming the first bad variable
 * (`GATEWAY_PORT: must be a port number 0-65535, got "x"`).
 */
export function readEnv<S extends EnvShape>(source: Env, shape: S): EnvValues<S> {
  const input: Record<string, string | undefined> = {};
  // An empty value counts as unset: `FOO= npm start` means "the default".
  for (const name of Object.keys(shape)) input[name] = source[name] === '' ? undefined : source[name];
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? '?');
    // zod's own wording for a missing required value is "Invalid input: expected string, received undefined".
    throw new ConfigError(name, input[name] === undefined ? 'is required' : issue.message);
  }
  return Object.freeze(result.data) as EnvValues<S>;
}
