/**
 * Subgraph process configuration: read from the environment once, validated, frozen, passed down.
 * A bad value throws `ConfigError` whose message names the setting.
 */
import path from 'node:path';

export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Invalid configuration: ${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface SubgraphConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** postgres://… when set; otherwise embedded PGlite in `dataDir` (or in memory when `dataDir` is null). */
  readonly databaseUrl: string | null;
  readonly dataDir: string | null;
  /** Seed on first start when the database is empty. */
  readonly seed: boolean;
  readonly seedScale: number;
  readonly logLevel: string;
  readonly maxPageSize: number;
}

type Env = Record<string, string | undefined>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function intSetting(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(key, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(key, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function boolSetting(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(key, `must be true or false, got "${raw}"`);
}

export function logLevelSetting(env: Env): string {
  const level = env.LOG_LEVEL || 'info';
  if (!LEVELS.includes(level)) throw new ConfigError('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);
  return level;
}

export function loadSubgraphConfig(
  name: string,
  env: Env,
  defaults: { port: number; root: string },
): SubgraphConfig {
  const url = env.DATABASE_URL || null;
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new ConfigError('DATABASE_URL', 'must start with postgres://');
  const dataDirRaw = env.DATA_DIR;
  const dataDir =
    dataDirRaw === ':memory:' ? null : path.resolve(defaults.root, dataDirRaw || path.join('data', name));
  const seedScaleRaw = env.SEED_SCALE;
  const seedScale = seedScaleRaw === undefined || seedScaleRaw === '' ? 1 : Number(seedScaleRaw);
  if (!Number.isFinite(seedScale) || seedScale <= 0 || seedScale > 1000)
    throw new ConfigError('SEED_SCALE', `must be a number in (0, 1000], got "${seedScaleRaw}"`);
  return Object.freeze({
    name,
    host: env.HOST || '127.0.0.1',
    port: intSetting(env, 'PORT', defaults.port, 0, 65535),
    databaseUrl: url,
    dataDir,
    seed: boolSetting(env, 'SEED', true),
    seedScale,
    logLevel: logLevelSetting(env),
    maxPageSize: intSetting(env, 'MAX_PAGE_SIZE', 100, 1, 1000),
  });
}
