import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../schema/registry';
import { DEFAULTS, loadGatewayConfig, subgraphEnvName } from '../config';
import { env } from '../../common/env';
import { defineFeature } from '../feature';
import { defaultFeatures } from '../features';
import { callerAgency } from './support/callerAgencyFeature';
import { defaultConfig } from './support/config';

describe('loadGatewayConfig', () => {
  test('GATEWAY_ENGINE picks the engine: govgraph (default) or stock @apollo/gateway', () => {
    expect(defaultConfig({ GATEWAY_ENGINE: 'apollo' }).engine).toBe('apollo');
    expect(defaultConfig({ GATEWAY_ENGINE: ' GovGraph ' }).engine).toBe('govgraph');
    expect(() => defaultConfig({ GATEWAY_ENGINE: 'fast' })).toThrow(
      /^GATEWAY_ENGINE: must be one of govgraph, apollo, got "fast"/,
    );
  });

  test('GATEWAY_OVERRIDE_LABELS fixes progressive @override labels, on the govgraph engine only', () => {
    expect(
      defaultConfig({ GATEWAY_OVERRIDE_LABELS: ' beta=true, percent(5)=FALSE ' }).overrideLabels,
    ).toEqual(
      new Map([
        ['beta', true],
        ['percent(5)', false],
      ]),
    );
    for (const bad of ['beta', 'beta=maybe', 'percent(101)=true', '9lives=true', 'beta=true,,x=false'])
      expect(() => defaultConfig({ GATEWAY_OVERRIDE_LABELS: bad })).toThrow(
        /^GATEWAY_OVERRIDE_LABELS: must be comma-separated label=true\|false/,
      );
    expect(() => defaultConfig({ GATEWAY_OVERRIDE_LABELS: 'beta=true', GATEWAY_ENGINE: 'apollo' })).toThrow(
      /^GATEWAY_OVERRIDE_LABELS: progressive @override labels need GATEWAY_ENGINE=govgraph/,
    );
  });

  test('per-subgraph timeouts are read by subgraph name', () => {
    const config = defaultConfig({ GATEWAY_SUBGRAPH_TIMEOUTS: ' documents=5000, land-records=250 ' });
    expect(config.resilience.timeouts).toEqual(
      new Map([
        ['documents', 5000],
        ['land-records', 250],
      ]),
    );
  });

  test('defaults', () => {
    const config = defaultConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 4000,
      supergraphPath: path.join(ROOT, 'schema/supergraph.graphql'),
      supergraph: { watch: 'off', pollIntervalMs: 10_000, timeoutMs: 10_000 },
      subgraphUrls: {},
      bodyLimit: 1048576,
      httpTimeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 72_000 },
      trustProxy: false,
      introspection: true,
      logLevel: 'info',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10000,
      workers: 1,
      engine: 'govgraph',
      overrideLabels: new Map(),
      requestDeadlineMs: 60_000,
      resilience: {
        timeoutMs: 30_000,
        timeouts: new Map(),
        maxResponseBytes: 16 * 1024 * 1024,
        retry: { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 1000, budgetRatio: 0.1, budgetReserve: 10 },
        breaker: { enabled: true, failureRatio: 0.5, minRequests: 20, windowMs: 10_000, openMs: 5_000 },
      },
      features: {
        offline: {},
        graphiql: { GATEWAY_GRAPHIQL: true, GATEWAY_GRAPHIQL_TITLE: 'govgraph — GraphiQL' },
        sites: {},
        'request-logging': { GATEWAY_SLOW_MS: 1000 },
        tracing: {
          GATEWAY_TRACING_SAMPLE_RATIO: 1,
          GATEWAY_TRACING_TRUST_TRACEPARENT: false,
          GATEWAY_TRACING_EXPORT_DELAY: 1000,
          GATEWAY_TRACING_FLUSH_TIMEOUT: 3000,
        },
        metrics: { GATEWAY_METRICS_PUBLIC: false, GATEWAY_METRICS_MAX_OPERATIONS: 200 },
        identity: {
          GATEWAY_JWT_ISSUER: 'govgraph-dev',
          GATEWAY_JWT_AUDIENCE: 'govgraph',
          GATEWAY_JWT_ALGORITHMS: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          GATEWAY_JWT_CLOCK_SKEW: 30,
          GATEWAY_JWKS_CACHE_MAX_AGE: 600_000,
          GATEWAY_JWKS_COOLDOWN: 30_000,
          GATEWAY_JWKS_TIMEOUT: 5_000,
          GATEWAY_SUBGRAPH_PEERS: new Map(),
        },
        'rate-limit': {
          GATEWAY_RATE_LIMIT_WINDOW: 60_000,
          GATEWAY_RATE_LIMIT_PER_IP: 1200,
          GATEWAY_RATE_LIMIT_PER_SUBJECT: 600,
        },
        'rate-limit-subject': {},
        'trusted-documents': { GATEWAY_ANONYMOUS_CLIENT: 'portal' },
        cors: { GATEWAY_CORS_ORIGINS: new Set() },
        variables: {},
        limits: {
          GATEWAY_MAX_TOKENS: 2000,
          GATEWAY_MAX_VARIABLES_SIZE: 65_536,
          GATEWAY_MAX_DEPTH: 10,
          GATEWAY_MAX_ALIASES: 15,
          GATEWAY_MAX_ROOT_FIELDS: 20,
          GATEWAY_MAX_DIRECTIVES: 50,
          GATEWAY_MAX_COST: 5000,
          GATEWAY_COST_LIST_SIZE: 10,
        },
        'schema-visibility': { GATEWAY_SCHEMA_ROLES: new Set(['analyst', 'official', 'partner', 'admin']) },
        authorization: {},
        contracts: { GATEWAY_PARTNER_CONTRACTS: '' },
        'operation-resolution': {},
        'usage-report': { GATEWAY_USAGE_REPORT_INTERVAL: 60_000, GATEWAY_USAGE_MAX_KEYS: 10_000 },
        'dedupe-inflight': { GATEWAY_DEDUPE_INFLIGHT: false },
        'error-masking': { GATEWAY_MASK_INTERNAL_ERRORS: true },
        subscriptions: {
          GATEWAY_SUBSCRIPTIONS_STREAM: 'govgraph:events',
          GATEWAY_SUBSCRIPTIONS_MAX_PER_CONNECTION: 20,
          GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_CALLER: 10,
          GATEWAY_SUBSCRIPTIONS_MAX_CONNECTIONS_PER_IP: 200,
          GATEWAY_SUBSCRIPTIONS_MAX_BUFFERED_BYTES: 1 << 20,
          GATEWAY_SUBSCRIPTIONS_MAX_QUEUED: 100,
          GATEWAY_SUBSCRIPTIONS_REPLAY_MAX: 1000,
          GATEWAY_SUBSCRIPTIONS_INIT_TIMEOUT: 10_000,
          GATEWAY_SUBSCRIPTIONS_KEEPALIVE: 30_000,
        },
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.subgraphUrls)).toBe(true);
    expect(Object.isFrozen(config.features)).toBe(true);
    expect(Object.isFrozen(config.features.graphiql)).toBe(true);
    expect(DEFAULTS.port).toBe(4000);
  });

  test('env values are parsed; flags override env', () => {
    const config = defaultConfig(
      {
        GATEWAY_HOST: '0.0.0.0',
        GATEWAY_PORT: '5000',
        SUPERGRAPH_PATH: '/tmp/a.graphql',
        GATEWAY_BODY_LIMIT: '2048',
        GATEWAY_INTROSPECTION: 'false',
        GATEWAY_GRAPHIQL: '0',
        GATEWAY_GRAPHIQL_TITLE: ' Sở TT&TT ',
        GATEWAY_SLOW_MS: '250',
        GATEWAY_MASK_INTERNAL_ERRORS: 'OFF',
        LOG_LEVEL: 'debug',
        SUBGRAPH_URL_LAND_RECORDS: 'http://land:4104/graphql',
      },
      ['--supergraph', '/tmp/b.graphql', '--port=0'],
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      supergraphPath: '/tmp/b.graphql',
      bodyLimit: 2048,
      introspection: false,
      logLevel: 'debug',
      subgraphUrls: { LAND_RECORDS: 'http://land:4104/graphql' },
      features: expect.objectContaining({
        graphiql: { GATEWAY_GRAPHIQL: false, GATEWAY_GRAPHIQL_TITLE: 'Sở TT&TT' },
        'request-logging': { GATEWAY_SLOW_MS: 250 },
        'error-masking': { GATEWAY_MASK_INTERNAL_ERRORS: false },
      }),
    });
  });

  test.each(['DEBUG', 'Debug', ' warn '])('LOG_LEVEL=%j is accepted: trimmed, any case', (level) => {
    expect(defaultConfig({ LOG_LEVEL: level }).logLevel).toBe(level.trim().toLowerCase());
  });

  test.each([
    [{ GATEWAY_PORT: '70000' }, /^GATEWAY_PORT: must be a port number/],
    [{ GATEWAY_PORT: 'abc' }, /^GATEWAY_PORT:/],
    [{ GATEWAY_BODY_LIMIT: '-1' }, /^GATEWAY_BODY_LIMIT:/],
    [{ GATEWAY_REQUEST_TIMEOUT: '500' }, /^GATEWAY_REQUEST_TIMEOUT: must be/],
    [
      { GATEWAY_HEADERS_TIMEOUT: '40000' },
      /^GATEWAY_HEADERS_TIMEOUT: must not exceed GATEWAY_REQUEST_TIMEOUT \(30000 ms\), got 40000$/,
    ],
    [{ GATEWAY_INTROSPECTION: 'maybe' }, /^GATEWAY_INTROSPECTION: must be true or false/],
    [{ GATEWAY_SUBGRAPH_TIMEOUT: '0' }, /^GATEWAY_SUBGRAPH_TIMEOUT: must be an integer from 1/],
    [
      { GATEWAY_SUBGRAPH_TIMEOUTS: 'documents=5000,land' },
      /^GATEWAY_SUBGRAPH_TIMEOUTS: must be comma-separated subgraph=milliseconds \(1-3600000\), got "land"$/,
    ],
    [{ GATEWAY_RETRY_BUDGET: '0' }, /^GATEWAY_RETRY_BUDGET: must be a number in \(0, 1\]/],
    [
      { GATEWAY_BREAKER_FAILURE_RATIO: '1.5' },
      /^GATEWAY_BREAKER_FAILURE_RATIO: must be a number in \(0, 1\]/,
    ],
    [
      { GATEWAY_RETRY_DELAY: '2000' },
      /^GATEWAY_RETRY_DELAY: must not exceed GATEWAY_RETRY_MAX_DELAY \(1000 ms\), got 2000$/,
    ],
    [{ GATEWAY_GRAPHIQL: 'yesplease' }, /^GATEWAY_GRAPHIQL:/],
    [
      { LOG_LEVEL: 'loud' },
      /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/,
    ],
    [{ GATEWAY_SLOW_MS: 'fast' }, /^GATEWAY_SLOW_MS: must be an integer from 0 to 3600000, got "fast"$/],
    [{ GATEWAY_MASK_INTERNAL_ERRORS: 'sometimes' }, /^GATEWAY_MASK_INTERNAL_ERRORS: must be true or false/],
    [{ GATEWAY_GRAPHIQL_TITLE: '  ' }, /^GATEWAY_GRAPHIQL_TITLE: must not be empty$/],
    [{ SUBGRAPH_URL_DOCUMENTS: 'ftp://x' }, /^SUBGRAPH_URL_DOCUMENTS: must be an http\(s\) URL/],
    [{ SUBGRAPH_URL_DOCUMENTS: 'not a url' }, /^SUBGRAPH_URL_DOCUMENTS:/],
    [{ GATEWAY_PROT: '4000' }, /^GATEWAY_PROT: unknown setting/],
    [{ GATEWAY_HOST: ' ' }, /^GATEWAY_HOST: must not be empty/],
    [{ GATEWAY_WORKERS: '0' }, /^GATEWAY_WORKERS: must be "auto" or a number of workers 1-256, got "0"$/],
    [{ GATEWAY_WORKERS: 'all' }, /^GATEWAY_WORKERS: must be "auto" or a number of workers 1-256/],
    [{ GATEWAY_METRICS_PORT: 'x' }, /^GATEWAY_METRICS_PORT: must be a port number 0-65535, got "x"$/],
    [
      { GATEWAY_METRICS_MAX_OPERATIONS: '0' },
      /^GATEWAY_METRICS_MAX_OPERATIONS: must be an integer from 1 to 10000/,
    ],
  ])('%j is rejected with a message naming the setting', (env, message) => {
    expect(() => defaultConfig(env)).toThrow(message);
  });
  test('GATEWAY_WORKERS: a count, or auto for one worker per core', () => {
    expect(defaultConfig({ GATEWAY_WORKERS: ' 4 ' }).workers).toBe(4);
    expect(defaultConfig({ GATEWAY_WORKERS: 'AUTO' }).workers).toBe(availableParallelism());
  });

  test('GATEWAY_METRICS_PORT: unset by default (no operators listener), else the port', () => {
    expect(defaultConfig({}).metricsPort).toBeUndefined();
    expect(defaultConfig({ GATEWAY_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
  });

  test('an empty value means unset (`GATEWAY_PORT= npm start`): the default applies', () => {
    expect(defaultConfig({ GATEWAY_PORT: '', GATEWAY_GRAPHIQL_TITLE: '' })).toMatchObject({
      port: 4000,
      features: { graphiql: { GATEWAY_GRAPHIQL_TITLE: 'govgraph — GraphiQL' } },
    });
  });

  test('bad flags are rejected by name', () => {
    expect(() => defaultConfig({}, ['--port', 'x'])).toThrow(/^--port:/);
    expect(() => defaultConfig({}, ['--supergraph'])).toThrow(/^--supergraph: needs a value/);
    expect(() => defaultConfig({}, ['--verbose'])).toThrow(/^--verbose: unknown command-line argument/);
  });

  test('subgraph env names', () => {
    expect(subgraphEnvName('documents')).toBe('DOCUMENTS');
    expect(subgraphEnvName('land-records.v2')).toBe('LAND_RECORDS_V2');
  });
});

describe('feature settings', () => {
  const features = [...defaultFeatures, callerAgency];

  test('a feature declares its own GATEWAY_* keys; they are validated with the core and typed', () => {
    const config = loadGatewayConfig({ GATEWAY_CALLER_HEADER: 'X-Agency-Code' }, [], features);
    expect(config.features['caller-agency']).toEqual({
      GATEWAY_CALLER_HEADER: 'X-Agency-Code',
      GATEWAY_CALLER_MAX_LENGTH: 16,
    });
    expect(() => loadGatewayConfig({ GATEWAY_CALLER_MAX_LENGTH: '100' }, [], features)).toThrow(
      /^GATEWAY_CALLER_MAX_LENGTH: must be an integer from 1 to 64, got "100"$/,
    );
  });

  test('without the feature installed its keys are unknown; the list of known keys names each key once', () => {
    expect(() => defaultConfig({ GATEWAY_CALLER_HEADER: 'x' })).toThrow(
      /^GATEWAY_CALLER_HEADER: unknown setting/,
    );
    let message = '';
    try {
      loadGatewayConfig({ GATEWAY_CALLER_HAEDER: 'x' }, [], features);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^GATEWAY_CALLER_HAEDER: unknown setting \(known: /);
    const known = message.slice(message.indexOf('known: ') + 7, -1).split(', ');
    expect(new Set(known).size).toBe(known.length);
    expect(known).toEqual(
      expect.arrayContaining([
        'GATEWAY_PORT',
        'GATEWAY_GRAPHIQL',
        'GATEWAY_GRAPHIQL_TITLE',
        'GATEWAY_SLOW_MS',
        'GATEWAY_MASK_INTERNAL_ERRORS',
        'GATEWAY_CALLER_HEADER',
        'GATEWAY_CALLER_MAX_LENGTH',
      ]),
    );
  });

  test('a key declared twice, a key outside GATEWAY_ and a duplicate feature name are programming errors', () => {
    const stealsPort = defineFeature({ name: 'x', env: { GATEWAY_PORT: env.port() }, create: () => ({}) });
    expect(() => loadGatewayConfig({}, [], [stealsPort])).toThrow(
      'GATEWAY_PORT is declared by the core and by feature "x"',
    );
    const outside = defineFeature({ name: 'y', env: { PORT: env.port() }, create: () => ({}) });
    expect(() => loadGatewayConfig({}, [], [outside])).toThrow(
      'feature "y": setting PORT must start with GATEWAY_',
    );
    expect(() => loadGatewayConfig({}, [], [callerAgency, callerAgency])).toThrow(
      'two gateway features are named "caller-agency"',
    );
  });
});
