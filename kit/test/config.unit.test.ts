/** A subgraph's settings (kit/runtime/config.ts): prefixed, validated, frozen; a bad one names itself. */
import { env } from '../../common/env';
import { ConfigError, loadSubgraphConfig } from '../runtime/config';

describe('config', () => {
  const defaults = { port: 4101 };
  const URL = 'postgres://postgres@127.0.0.1:5432/documents';
  test('settings carry the subgraph prefix; defaults apply to unset ones', () => {
    const c = loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL }, defaults);
    expect(c).toEqual({
      name: 'documents',
      port: 4101,
      host: '127.0.0.1',
      databaseUrl: URL,
      poolSize: 10,
      poolMaxWaiting: 100,
      poolAcquireTimeoutMs: 5000,
      shutdownTimeoutMs: 10_000,
      statementTimeoutMs: 15_000,
      transactionTimeoutMs: 30_000,
      tracingExportDelayMs: 1000,
      tracingFlushTimeoutMs: 3000,
      seed: true,
      seedScale: 1,
      logLevel: 'info',
      maxPageSize: 100,
      replicaMaxLagMs: 5000,
      // Domain events are off (kept in the outbox) until a Redis is named.
      events: null,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });
  test('domain events: on with a Redis URL, with defaults for the rest', () => {
    const c = loadSubgraphConfig(
      'documents',
      {
        DOCUMENTS_DATABASE_URL: URL,
        DOCUMENTS_EVENTS_REDIS_URL: 'redis://127.0.0.1:6379/2',
        DOCUMENTS_EVENTS_BATCH: '10',
      },
      defaults,
    );
    expect(c.events).toEqual({
      redisUrl: 'redis://127.0.0.1:6379/2',
      stream: 'govgraph:events',
      streamMaxLen: 1_000_000,
      batch: 10,
      pollMs: 200,
      retryMaxMs: 30_000,
      retentionDays: 30,
    });
  });
  test.each([
    [{ DOCUMENTS_PORT: 'eighty' }, /^DOCUMENTS_PORT: must be a port number 0-65535, got "eighty"$/],
    [{ DOCUMENTS_PORT: '70000' }, /^DOCUMENTS_PORT: must be a port number 0-65535, got "70000"$/],
    [{ DOCUMENTS_DATABASE_URL: 'mysql://x' }, /^DOCUMENTS_DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ DOCUMENTS_SEED: 'maybe' }, /^DOCUMENTS_SEED: must be true or false, got "maybe"$/],
    [{ DOCUMENTS_SEED_SCALE: '-1' }, /^DOCUMENTS_SEED_SCALE: must be a number in \(0, 1000\]/],
    [{ DOCUMENTS_LOG_LEVEL: 'loud' }, /^DOCUMENTS_LOG_LEVEL: must be one of fatal, error/],
    [{ DOCUMENTS_DB_POOL_SIZE: '0' }, /^DOCUMENTS_DB_POOL_SIZE: must be an integer from 1 to 500/],
    [
      { DOCUMENTS_DB_POOL_ACQUIRE_TIMEOUT_MS: '0' },
      /^DOCUMENTS_DB_POOL_ACQUIRE_TIMEOUT_MS: must be an integer from 1/,
    ],
    [{ DOCUMENTS_SHUTDOWN_TIMEOUT_MS: '10s' }, /^DOCUMENTS_SHUTDOWN_TIMEOUT_MS: must be an integer from 0/],
    [
      { DOCUMENTS_MIGRATION_DATABASE_URL: 'x' },
      /^DOCUMENTS_MIGRATION_DATABASE_URL: must be a postgres:\/\/ URL/,
    ],
    [{ DOCUMENTS_STATEMENT_TIMEOUT_MS: '15s' }, /^DOCUMENTS_STATEMENT_TIMEOUT_MS: must be an integer from 0/],
    [
      { DOCUMENTS_TRANSACTION_TIMEOUT_MS: '-1' },
      /^DOCUMENTS_TRANSACTION_TIMEOUT_MS: must be an integer from 0/,
    ],
    [
      { DOCUMENTS_EVENTS_REDIS_URL: 'http://x' },
      /^DOCUMENTS_EVENTS_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [{ DOCUMENTS_EVENTS_POLL_MS: '1' }, /^DOCUMENTS_EVENTS_POLL_MS: must be an integer from 10/],
    // A misspelt name is an error, not a silent fallback to a default database.
    [{ DOCUMENTS_DATABSE_URL: URL }, /^DOCUMENTS_DATABSE_URL: unknown setting/],
  ])('%j fails naming the setting', (env, message) => {
    expect(() => loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL, ...env }, defaults)).toThrow(
      ConfigError,
    );
    expect(() => loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL, ...env }, defaults)).toThrow(
      message,
    );
  });
  test('the database URL is required: no silent embedded fallback', () => {
    expect(() => loadSubgraphConfig('documents', {}, defaults)).toThrow(
      /^DOCUMENTS_DATABASE_URL: is required$/,
    );
  });
  test('migrations may run as another role than requests, and both timeouts are configurable', () => {
    const owner = 'postgres://owner:pw@127.0.0.1:5432/documents';
    const c = loadSubgraphConfig(
      'documents',
      {
        DOCUMENTS_DATABASE_URL: URL,
        DOCUMENTS_MIGRATION_DATABASE_URL: owner,
        DOCUMENTS_STATEMENT_TIMEOUT_MS: '500',
        DOCUMENTS_TRANSACTION_TIMEOUT_MS: '0',
      },
      defaults,
    );
    expect([c.databaseUrl, c.migrationDatabaseUrl, c.statementTimeoutMs, c.transactionTimeoutMs]).toEqual([
      URL,
      owner,
      500,
      0,
    ]);
  });
  test('log levels are case-insensitive (LOG_LEVEL=DEBUG works everywhere)', () => {
    const c = loadSubgraphConfig(
      'documents',
      { DOCUMENTS_DATABASE_URL: URL, DOCUMENTS_LOG_LEVEL: 'DEBUG' },
      defaults,
    );
    expect(c.logLevel).toBe('debug');
  });
  test("other processes' settings are none of its business", () => {
    const c = loadSubgraphConfig(
      'documents',
      {
        DOCUMENTS_DATABASE_URL: URL,
        LAND_PORT: 'x',
        GATEWAY_PORT: '4000',
        SUBGRAPH_URL_DOCUMENTS: 'http://x',
      },
      defaults,
    );
    expect(c.port).toBe(4101);
  });
  test('in production nothing is seeded unless asked for explicitly', () => {
    const prod = { NODE_ENV: 'production', DOCUMENTS_DATABASE_URL: URL };
    expect(loadSubgraphConfig('documents', prod, defaults).seed).toBe(false);
    expect(loadSubgraphConfig('documents', { ...prod, DOCUMENTS_SEED: 'true' }, defaults).seed).toBe(true);
  });
  test('a subgraph’s own settings (SubgraphSpec.settings) are known and validated; a misspelt one is refused', () => {
    const settings = { SIGNING_KEY: env.text().optional(), MAX_ATTEMPTS: env.integer(1, 100).default(8) };
    const base = { DOCUMENTS_DATABASE_URL: URL, DOCUMENTS_MAX_ATTEMPTS: '3' };
    expect(() => loadSubgraphConfig('documents', base, { ...defaults, settings })).not.toThrow();
    expect(() => loadSubgraphConfig('documents', base, defaults)).toThrow(
      /DOCUMENTS_MAX_ATTEMPTS: unknown setting/,
    );
    expect(() =>
      loadSubgraphConfig('documents', { ...base, DOCUMENTS_MAX_ATEMPTS: '3' }, { ...defaults, settings }),
    ).toThrow(/DOCUMENTS_MAX_ATEMPTS: unknown setting/);
    expect(() =>
      loadSubgraphConfig('documents', { ...base, DOCUMENTS_MAX_ATTEMPTS: '0' }, { ...defaults, settings }),
    ).toThrow(/DOCUMENTS_MAX_ATTEMPTS/);
  });
});
