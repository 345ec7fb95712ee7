/**
 * Subgraph process configuration: read from the environment once, validated, frozen, passed down.
 * Every setting carries the subgraph's prefix (`DOCUMENTS_PORT`, `DOCUMENTS_DATABASE_URL`, …), so one
 * environment can hold the settings of every process, and a misspelt name fails at start-up instead of
 * being ignored.
 */
import { envPrefix, readEnv, setting } from './env';
import type { Env, LogLevel } from './env';

export { ConfigError } from './env';

export interface SubgraphConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The subgraph's own database (`npm start` gives one on its embedded PostgreSQL server). */
  readonly databaseUrl: string;
  readonly poolSize: number;
  /** Seed on start when the database is empty. */
  readonly seed: boolean;
  readonly seedScale: number;
  readonly logLevel: LogLevel;
  readonly maxPageSize: number;
}

const SHAPE = {
  HOST: setting.string(),
  PORT: setting.int(0, 65535),
  DATABASE_URL: setting.postgresUrl(),
  DB_POOL_SIZE: setting.int(1, 500),
  SEED: setting.bool(),
  SEED_SCALE: setting.number(0, 1000),
  LOG_LEVEL: setting.logLevel(),
  MAX_PAGE_SIZE: setting.int(1, 1000),
};

/** The names a subgraph reads, for documentation and tests: `DOCUMENTS_HOST`, … */
export const subgraphSettingNames = (name: string): string[] =>
  Object.keys(SHAPE).map((k) => envPrefix(name) + k);

/**
 * With `NODE_ENV=production` nothing is generated unless asked for: seeding is off unless
 * `<NAME>_SEED=true` is set explicitly.
 */
export function loadSubgraphConfig(name: string, env: Env, defaults: { port: number }): SubgraphConfig {
  const production = env.NODE_ENV === 'production';
  const s = readEnv(env, envPrefix(name), SHAPE, {
    HOST: '127.0.0.1',
    PORT: defaults.port,
    DB_POOL_SIZE: 10,
    SEED: !production,
    SEED_SCALE: 1,
    LOG_LEVEL: 'info',
    MAX_PAGE_SIZE: 100,
  });
  return Object.freeze({
    name,
    host: s.HOST,
    port: s.PORT,
    databaseUrl: s.DATABASE_URL,
    poolSize: s.DB_POOL_SIZE,
    seed: s.SEED,
    seedScale: s.SEED_SCALE,
    logLevel: s.LOG_LEVEL,
    maxPageSize: s.MAX_PAGE_SIZE,
  });
}
