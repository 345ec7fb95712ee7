/**
 * Gateway settings: read once from the environment (and command-line flags), validated, frozen and
 * passed down. The core declares its variables in variables.ts; each feature declares its own
 * (feature.ts), and all are validated together. Nothing else in gateway/ reads `process.env`.
 */
import path from 'node:path';
import { env, readEnv, rejectUnknown } from '../../common/env';
import type { EnvShape } from '../../common/env';
import { importSupergraphPublicKey } from '../../common/supergraphSignature';
import { ConfigError } from '../errors';
import type { GatewayConfig } from './types';
import { CORE_ENV, DEFAULTS, FLAGS, RESILIENCE } from './variables';

export { LOG_LEVELS } from '../../common/env';
export type { LogLevel } from '../../common/env';
export type { GatewayConfig, SupergraphSettings } from './types';
export { DEFAULTS } from './variables';
export { GATEWAY_ENGINES } from './types';
export type { GatewayEngine } from './types';

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** `documents` → `DOCUMENTS`, `land-records` → `LAND_RECORDS`: the suffix of its SUBGRAPH_URL_ variable. */
export function subgraphEnvName(subgraphName: string): string {
  return subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What the configuration reads of a feature (a `GatewayFeature` of feature.ts is one): its name and
 * the settings it declares. Typed here, not imported, so that config.ts depends on no feature.
 */
export interface DeclaredSettings {
  readonly name: string;
  readonly env?: EnvShape;
}

/**
 * Reads the core's and the features' settings. `features` is the one list the caller (main.ts:
 * features/index.ts's `defaultFeatures`; tests: their own) then gives `createGateway` too: neither
 * the configuration nor the server picks a feature list of its own.
 */
export function loadGatewayConfig(
  source: Env,
  argv: readonly string[],
  features: readonly DeclaredSettings[],
): GatewayConfig {
  const flags = readEnv(parseFlags(argv), FLAGS);
  rejectUnknown(source, 'GATEWAY_', declaredVariables(features).keys());
  const core = readEnv(source, CORE_ENV);

  const settings: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const feature of features) settings[feature.name] = Object.freeze(readEnv(source, feature.env ?? {}));

  if (core.GATEWAY_OVERRIDE_LABELS && core.GATEWAY_ENGINE !== 'govgraph')
    throw new ConfigError(
      'GATEWAY_OVERRIDE_LABELS',
      'progressive @override labels need GATEWAY_ENGINE=govgraph (stock @apollo/gateway plans with every label off)',
    );
  if (core.GATEWAY_HEADERS_TIMEOUT > core.GATEWAY_REQUEST_TIMEOUT)
    throw new ConfigError(
      'GATEWAY_HEADERS_TIMEOUT',
      `must not exceed GATEWAY_REQUEST_TIMEOUT (${core.GATEWAY_REQUEST_TIMEOUT} ms), got ${core.GATEWAY_HEADERS_TIMEOUT}`,
    );
  if (core.GATEWAY_RETRY_DELAY > core.GATEWAY_RETRY_MAX_DELAY)
    throw new ConfigError(
      'GATEWAY_RETRY_DELAY',
      `must not exceed GATEWAY_RETRY_MAX_DELAY (${core.GATEWAY_RETRY_MAX_DELAY} ms), got ${core.GATEWAY_RETRY_DELAY}`,
    );
  const supergraph = flags['--supergraph'] ?? core.SUPERGRAPH_PATH;
  if (core.SUPERGRAPH_URL !== undefined && supergraph !== undefined)
    throw new ConfigError('SUPERGRAPH_URL', 'set it or SUPERGRAPH_PATH / --supergraph, not both');
  if (core.SUPERGRAPH_URL !== undefined && core.GATEWAY_SUPERGRAPH_WATCH !== 'off')
    throw new ConfigError(
      'GATEWAY_SUPERGRAPH_WATCH',
      'watches a supergraph file; SUPERGRAPH_URL is polled every GATEWAY_SUPERGRAPH_POLL_INTERVAL ms',
    );
  if (core.GATEWAY_SUPERGRAPH_PUBLIC_KEY !== undefined) {
    if (core.SUPERGRAPH_URL === undefined)
      throw new ConfigError(
        'GATEWAY_SUPERGRAPH_PUBLIC_KEY',
        'verifies the signed supergraph of SUPERGRAPH_URL (the schema registry); a supergraph file carries no signature',
      );
    try {
      importSupergraphPublicKey(core.GATEWAY_SUPERGRAPH_PUBLIC_KEY);
    } catch (error) {
      throw new ConfigError('GATEWAY_SUPERGRAPH_PUBLIC_KEY', (error as Error).message);
    }
  }
  return Object.freeze({
    host: core.GATEWAY_HOST,
    port: flags['--port'] ?? core.GATEWAY_PORT,
    supergraphPath: supergraph !== undefined ? path.resolve(supergraph) : DEFAULTS.supergraphPath,
    supergraph: Object.freeze({
      ...(core.SUPERGRAPH_URL !== undefined && { url: core.SUPERGRAPH_URL }),
      watch: core.GATEWAY_SUPERGRAPH_WATCH,
      pollIntervalMs: core.GATEWAY_SUPERGRAPH_POLL_INTERVAL,
      timeoutMs: core.GATEWAY_SUPERGRAPH_TIMEOUT,
      ...(core.GATEWAY_SUPERGRAPH_PUBLIC_KEY !== undefined && {
        publicKey: core.GATEWAY_SUPERGRAPH_PUBLIC_KEY,
      }),
    }),
    subgraphUrls: Object.freeze(subgraphUrls(source)),
    bodyLimit: core.GATEWAY_BODY_LIMIT,
    httpTimeouts: Object.freeze({
      headersMs: core.GATEWAY_HEADERS_TIMEOUT,
      requestMs: core.GATEWAY_REQUEST_TIMEOUT,
      keepAliveMs: core.GATEWAY_KEEP_ALIVE_TIMEOUT,
    }),
    trustProxy: core.GATEWAY_TRUST_PROXY,
    introspection: core.GATEWAY_INTROSPECTION,
    logLevel: core.LOG_LEVEL,
    engine: core.GATEWAY_ENGINE,
    shutdownDelayMs: core.GATEWAY_SHUTDOWN_DELAY,
    shutdownTimeoutMs: core.GATEWAY_SHUTDOWN_TIMEOUT,
    workers: core.GATEWAY_WORKERS,
    overrideLabels: core.GATEWAY_OVERRIDE_LABELS ?? new Map<string, boolean>(),
    requestDeadlineMs: core.GATEWAY_REQUEST_DEADLINE,
    ...(core.GATEWAY_METRICS_PORT !== undefined && { metricsPort: core.GATEWAY_METRICS_PORT }),
    resilience: Object.freeze({
      timeoutMs: core.GATEWAY_SUBGRAPH_TIMEOUT,
      timeouts: core.GATEWAY_SUBGRAPH_TIMEOUTS ?? new Map<string, number>(),
      maxResponseBytes: core.GATEWAY_SUBGRAPH_MAX_RESPONSE_BYTES,
      retry: Object.freeze({
        maxRetries: core.GATEWAY_SUBGRAPH_RETRIES,
        baseDelayMs: core.GATEWAY_RETRY_DELAY,
        maxDelayMs: core.GATEWAY_RETRY_MAX_DELAY,
        budgetRatio: core.GATEWAY_RETRY_BUDGET,
        budgetReserve: RESILIENCE.retry.budgetReserve,
      }),
      breaker: Object.freeze({
        enabled: core.GATEWAY_BREAKER,
        failureRatio: core.GATEWAY_BREAKER_FAILURE_RATIO,
        minRequests: core.GATEWAY_BREAKER_MIN_REQUESTS,
        windowMs: core.GATEWAY_BREAKER_WINDOW,
        openMs: core.GATEWAY_BREAKER_OPEN_DURATION,
      }),
    }),
    features: Object.freeze(settings),
  });
}

/**
 * Every variable the gateway reads with `features` (the core's, the features' GATEWAY_* settings), for
 * documentation and the deployment manifests' tests; `SUBGRAPH_URL_<NAME>` is read for each subgraph.
 */
export const gatewaySettingNames = (features: readonly DeclaredSettings[]): string[] => [
  ...Object.keys(CORE_ENV),
  ...[...declaredVariables(features).keys()].filter((name) => !(name in CORE_ENV)),
];

/** Every GATEWAY_* variable and who declares it; a name declared twice is a programming error. */
function declaredVariables(features: readonly DeclaredSettings[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const name of Object.keys(CORE_ENV)) if (name.startsWith('GATEWAY_')) owners.set(name, 'the core');
  const names = new Set<string>();
  for (const feature of features) {
    if (names.has(feature.name)) throw new Error(`two gateway features are named "${feature.name}"`);
    names.add(feature.name);
    for (const variable of Object.keys(feature.env ?? {})) {
      if (!variable.startsWith('GATEWAY_'))
        throw new Error(`feature "${feature.name}": setting ${variable} must start with GATEWAY_`);
      const owner = owners.get(variable);
      if (owner) throw new Error(`${variable} is declared by ${owner} and by feature "${feature.name}"`);
      owners.set(variable, `feature "${feature.name}"`);
    }
  }
  return owners;
}

function subgraphUrls(source: Env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (!name.startsWith(SUBGRAPH_URL_PREFIX) || value === undefined) continue;
    const key = name.slice(SUBGRAPH_URL_PREFIX.length);
    if (!/^[A-Z0-9_]+$/.test(key))
      throw new ConfigError(name, 'subgraph name must be upper-case A-Z, 0-9 or _');
    urls[key] = readEnv({ [name]: value }, { [name]: env.httpUrl() })[name];
  }
  return urls;
}

/** `--port 0`, `--port=0`, `--supergraph <file>`; anything else is refused by name. */
function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!(flag in FLAGS)) {
      throw new ConfigError(arg, 'unknown command-line argument (known: --supergraph <path>, --port <n>)');
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new ConfigError(flag, 'needs a value');
    }
    out[flag] = value;
  }
  return out;
}
