/**
 * Reading settings from the environment with zod schemas: every process (each subgraph, `npm start`,
 * the benchmark) declares its settings once — name, type, default — under one prefix, and gets a
 * typed, frozen object. A bad value or an unknown name under the prefix (a typo) throws `ConfigError`
 * naming the setting, so the process stops at start-up with one line instead of falling back silently.
 */
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Invalid configuration: ${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Schemas for string-valued settings; an empty value counts as unset (the default applies). */
export const setting = {
  string: () => z.string().min(1),
  int: (min: number, max: number) =>
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, `must be between ${min} and ${max}`)
          .max(max, `must be between ${min} and ${max}`),
      ),
  number: (min: number, max: number) =>
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number')
      .transform(Number)
      .pipe(
        z
          .number()
          .gt(min, `must be a number in (${min}, ${max}]`)
          .max(max, `must be a number in (${min}, ${max}]`),
      ),
  bool: () =>
    z
      .string()
      .regex(/^(1|true|yes|on|0|false|no|off)$/i, 'must be true or false')
      .transform((v) => /^(1|true|yes|on)$/i.test(v)),
  /** Case-insensitive: `DEBUG` and `debug` are the same level. */
  logLevel: () =>
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  postgresUrl: () => z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL'),
};

type Shape = Record<string, z.ZodType<unknown, string>>;
type Parsed<S extends Shape> = { readonly [K in keyof S]: z.output<S[K]> };

/**
 * Reads `<prefix><KEY>` for every key of `shape`. `defaults` gives values for unset keys (already typed);
 * a key with neither a value nor a default is required. Unknown `<prefix>*` names are rejected.
 */
export function readEnv<S extends Shape>(
  env: Env,
  prefix: string,
  shape: S,
  defaults: { [K in keyof S]?: z.output<S[K]> },
): Parsed<S> {
  const known = new Set(Object.keys(shape).map((k) => prefix + k));
  for (const key of Object.keys(env))
    if (key.startsWith(prefix) && !known.has(key) && env[key] !== undefined)
      throw new ConfigError(key, `is not a known setting (known: ${[...known].sort().join(', ')})`);
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const name = prefix + key;
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (!(key in defaults)) throw new ConfigError(name, 'is required');
      out[key] = defaults[key];
      continue;
    }
    const result = schema.safeParse(raw);
    if (!result.success)
      throw new ConfigError(name, `${result.error.issues[0]?.message ?? 'is invalid'}, got "${raw}"`);
    out[key] = result.data;
  }
  return Object.freeze(out) as Parsed<S>;
}

/** `documents` → `DOCUMENTS_`, `land-records` → `LAND_RECORDS_`: the prefix of a subgraph's settings. */
export const envPrefix = (name: string): string => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
