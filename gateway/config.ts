/**
 * Gateway settings: read once from the environment (and command-line flags), validated, frozen and
 * passed down. The core declares its variables here; each feature declares its own (feature.ts),
 * and all are validated together. Nothing else in gateway/ reads `process.env`.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ROOT } from '../schema/registry';
import { env, readEnv, rejectUnknown } from '../common/env';
import { DEFAULT_HTTP_TIMEOUTS } from '../common/httpTimeouts';
import { importSupergraphPublicKey } from '../common/supergraphSignature';
import type { HttpTimeouts } from '../common/httpTimeouts';
import type { EnvShape, LogLevel } from '../common/env';
import { isOverrideLabel } from './engine/plan/overrideLabels';
import { DEFAULT_RESILIENCE } from './transport';
import type { ResilienceSettings } from './transport';
import { ConfigError } from './errors';

export { LOG_LEVELS } from '../common/env';
export type { LogLevel } from '../common/env';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly supergraphPath: string;
  /** Where the supergraph comes from besides the file, and how changes are followed (docs/operations.md). */
  readonly supergraph: SupergraphSettings;
  /** Subgraph URL overrides keyed by the normalised subgraph name (see `subgraphEnvName`). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly bodyLimit: number;
  /** Header, request (body) and idle keep-alive timeouts of the HTTP server (common/httpTimeouts.ts). */
  readonly httpTimeouts: HttpTimeouts;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client IP (rate limits, logs): `false` (the
   * default: the socket's peer is the client, so the header cannot be spoofed to dodge limits), a
   * hop count, or the proxies' addresses/CIDRs (Fastify's `trustProxy`).
   */
  readonly trustProxy: false | number | readonly string[];
  readonly introspection: boolean;
  readonly logLevel: LogLevel;
  /** Which engine executes query plans: ours (`govgraph`) or stock @apollo/gateway (`apollo`). */
  readonly engine: GatewayEngine;
  /** How long `stop()` keeps serving with /ready at 503 before it stops accepting (load balancer drain). */
  readonly shutdownDelayMs: number;
  /** How long `stop()` waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /** Processes serving the port (node:cluster); 1 = this process alone, no cluster. */
  readonly workers: number;
  /**
   * Progressive `@override(label:)` labels fixed by configuration (`GATEWAY_OVERRIDE_LABELS`); other
   * `percent(x)` labels are rolled per request, other custom labels are off (engine/plan/overrideLabels.ts).
   */
  readonly overrideLabels: ReadonlyMap<string, boolean>;
  /** The whole-request deadline: past it the client gets 504 GATEWAY_TIMEOUT and the fetches are cancelled. */
  readonly requestDeadlineMs: number;
  /** Subgraph timeouts, response size cap, retries and circuit breaker (transport/resilience/). */
  readonly resilience: ResilienceSettings;
  /**
   * `GATEWAY_METRICS_PORT`: the operators' listener (on `host`) serving `GET /metrics`; unset = none.
   * With GATEWAY_WORKERS > 1 the cluster's primary serves it, for all workers together.
   */
  readonly metricsPort?: number;
  /** Each feature's validated settings, by feature name. */
  readonly features: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** How the supergraph is followed after start-up ("Reloading the supergraph", docs/operations.md). */
export interface SupergraphSettings {
  /** `SUPERGRAPH_URL`: fetched at start and polled; when unset the file (`supergraphPath`) is served. */
  readonly url?: string;
  /** `GATEWAY_SUPERGRAPH_WATCH`: how a changed file is noticed: `off`, `watch` (file-system events), `poll` (mtime). */
  readonly watch: 'off' | 'watch' | 'poll';
  /** `GATEWAY_SUPERGRAPH_POLL_INTERVAL`: ms between polls of the URL, or of the file's mtime (`poll`). */
  readonly pollIntervalMs: number;
  /** `GATEWAY_SUPERGRAPH_TIMEOUT`: ms one fetch of the URL may take. */
  readonly timeoutMs: number;
  /**
   * `GATEWAY_SUPERGRAPH_PUBLIC_KEY`: the schema registry's Ed25519 public key (PEM or base64 SPKI);
   * when set, a supergraph from SUPERGRAPH_URL whose signature is missing or wrong is refused
   * (docs/registry.md "Signed supergraphs").
   */
  readonly publicKey?: string;
}

export const GATEWAY_ENGINES = ['govgraph', 'apollo'] as const;
export type GatewayEngine = (typeof GATEWAY_ENGINES)[number];

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4000,
  supergraphPath: path.join(ROOT, 'schema/supergraph.graphql'),
  bodyLimit: 1_048_576,
  httpTimeouts: DEFAULT_HTTP_TIMEOUTS,
  introspection: true,
  logLevel: 'info' as LogLevel,
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10_000,
  workers: 1,
  engine: 'govgraph' as GatewayEngine,
  requestDeadlineMs: 60_000,
  resilience: DEFAULT_RESILIENCE,
  supergraphWatch: 'off' as SupergraphSettings['watch'],
  supergraphPollIntervalMs: 10_000,
  supergraphTimeoutMs: 10_000,
});

/** `auto` (one per CPU core, `os.availableParallelism()`) or a count from 1 to 256. */
function workerCount() {
  return z.string().transform((raw, ctx) => {
    const value = raw.trim().toLowerCase();
    if (value === 'auto') return availableParallelism();
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= 256)) {
      ctx.addIssue({ code: 'custom', message: `must be "auto" or a number of workers 1-256, got "${raw}"` });
      return z.NEVER;
    }
    return n;
  });
}

/**
 * The core's variables. `LOG_LEVEL` is case-insensitive (`DEBUG` is `debug`): surrounding spaces
 * are trimmed, the value lower-cased, then it must be one of `LOG_LEVELS`.
 */
/** `GATEWAY_TRUST_PROXY`: off, a hop count, or comma-separated addresses/CIDRs (proxy-addr names too). */
function trustProxy() {
  const ADDRESS = /^(?:[0-9.]+|[0-9a-fA-F:.]+)(?:\/\d{1,3})?$/;
  const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
  return env.text().transform((raw, ctx): false | number | string[] => {
    const value = raw.trim().toLowerCase();
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    if (/^\d+$/.test(value)) return Number(value);
    if (['true', 'yes', 'on'].includes(value)) {
      ctx.addIssue({
        code: 'custom',
        message: "would believe any X-Forwarded-For; give a hop count or the proxies' addresses/CIDRs",
      });
      return false;
    }
    const list = value.split(',').map((a) => a.trim());
    const bad = list.find((a) => !ADDRESS.test(a) && !NAMES.has(a));
    if (bad !== undefined)
      ctx.addIssue({ code: 'custom', message: `must be off, a hop count or addresses/CIDRs, got "${bad}"` });
    return list;
  });
}

/** `GATEWAY_OVERRIDE_LABELS`: comma-separated `label=true|false` (`beta=true,percent(5)=false`). */
function overrideLabelValues() {
  return env.text().transform((raw, ctx): ReadonlyMap<string, boolean> => {
    const labels = new Map<string, boolean>();
    for (const entry of raw.split(',')) {
      const match = /^\s*([^=\s]+)\s*=\s*(true|false)\s*$/i.exec(entry);
      if (!match || !isOverrideLabel(match[1]!)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be comma-separated label=true|false (a label is a name or percent(0-100)), got "${entry.trim()}"`,
        });
        return labels;
      }
      labels.set(match[1]!, match[2]!.toLowerCase() === 'true');
    }
    return labels;
  });
}

/** `GATEWAY_SUBGRAPH_TIMEOUTS`: comma-separated `subgraph=ms` (`documents=5000,land=10000`). */
function subgraphTimeouts() {
  return env.text().transform((raw, ctx): ReadonlyMap<string, number> => {
    const timeouts = new Map<string, number>();
    for (const entry of raw.split(',')) {
      const match = /^\s*([A-Za-z0-9_-]+)\s*=\s*(\d+)\s*$/.exec(entry);
      const ms = match ? Number(match[2]) : NaN;
      if (!match || !(ms >= 1 && ms <= 3_600_000)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be comma-separated subgraph=milliseconds (1-3600000), got "${entry.trim()}"`,
        });
        return timeouts;
      }
      timeouts.set(match[1]!, ms);
    }
    return timeouts;
  });
}

const RESILIENCE = DEFAULT_RESILIENCE;

const CORE_ENV = {
  GATEWAY_HOST: env.text().default(DEFAULTS.host),
  GATEWAY_PORT: env.port().default(DEFAULTS.port),
  SUPERGRAPH_PATH: env.text().optional(),
  SUPERGRAPH_URL: env.httpUrl().optional(),
  GATEWAY_SUPERGRAPH_WATCH: env.oneOf(['off', 'watch', 'poll']).default(DEFAULTS.supergraphWatch),
  GATEWAY_SUPERGRAPH_POLL_INTERVAL: env.integer(100, 86_400_000).default(DEFAULTS.supergraphPollIntervalMs),
  GATEWAY_SUPERGRAPH_TIMEOUT: env.integer(100, 600_000).default(DEFAULTS.supergraphTimeoutMs),
  GATEWAY_SUPERGRAPH_PUBLIC_KEY: env.text().optional(),
  GATEWAY_BODY_LIMIT: env.integer(1, 1 << 30).default(DEFAULTS.bodyLimit),
  GATEWAY_HEADERS_TIMEOUT: env.integer(1000, 3_600_000).default(DEFAULTS.httpTimeouts.headersMs),
  GATEWAY_REQUEST_TIMEOUT: env.integer(1000, 3_600_000).default(DEFAULTS.httpTimeouts.requestMs),
  GATEWAY_KEEP_ALIVE_TIMEOUT: env.integer(1000, 3_600_000).default(DEFAULTS.httpTimeouts.keepAliveMs),
  GATEWAY_TRUST_PROXY: trustProxy().default(false),
  GATEWAY_INTROSPECTION: env.boolean().default(DEFAULTS.introspection),
  GATEWAY_SHUTDOWN_DELAY: env.integer(0, 3_600_000).default(DEFAULTS.shutdownDelayMs),
  GATEWAY_SHUTDOWN_TIMEOUT: env.integer(0, 3_600_000).default(DEFAULTS.shutdownTimeoutMs),
  GATEWAY_WORKERS: workerCount().default(DEFAULTS.workers),
  GATEWAY_METRICS_PORT: env.port().optional(),
  LOG_LEVEL: env.logLevel().default(DEFAULTS.logLevel),
  GATEWAY_ENGINE: env.oneOf(GATEWAY_ENGINES).default(DEFAULTS.engine),
  GATEWAY_OVERRIDE_LABELS: overrideLabelValues().optional(),
  // Faults and timeouts (docs/operations.md "Faults and timeouts").
  GATEWAY_REQUEST_DEADLINE: env.integer(1, 3_600_000).default(DEFAULTS.requestDeadlineMs),
  GATEWAY_SUBGRAPH_TIMEOUT: env.integer(1, 3_600_000).default(RESILIENCE.timeoutMs),
  GATEWAY_SUBGRAPH_TIMEOUTS: subgraphTimeouts().optional(),
  GATEWAY_SUBGRAPH_MAX_RESPONSE_BYTES: env.integer(1, 1 << 30).default(RESILIENCE.maxResponseBytes),
  GATEWAY_SUBGRAPH_RETRIES: env.integer(0, 10).default(RESILIENCE.retry.maxRetries),
  GATEWAY_RETRY_DELAY: env.integer(1, 60_000).default(RESILIENCE.retry.baseDelayMs),
  GATEWAY_RETRY_MAX_DELAY: env.integer(1, 60_000).default(RESILIENCE.retry.maxDelayMs),
  GATEWAY_RETRY_BUDGET: env.decimal(0, 1).default(RESILIENCE.retry.budgetRatio),
  GATEWAY_BREAKER: env.boolean().default(RESILIENCE.breaker.enabled),
  GATEWAY_BREAKER_FAILURE_RATIO: env.decimal(0, 1).default(RESILIENCE.breaker.failureRatio),
  GATEWAY_BREAKER_MIN_REQUESTS: env.integer(1, 1_000_000).default(RESILIENCE.breaker.minRequests),
  GATEWAY_BREAKER_WINDOW: env.integer(10, 3_600_000).default(RESILIENCE.breaker.windowMs),
  GATEWAY_BREAKER_OPEN_DURATION: env.integer(1, 3_600_000).default(RESILIENCE.breaker.openMs),
} satisfies EnvShape;

const FLAGS = {
  '--port': env.port().optional(),
  '--supergraph': env.text().optional(),
} satisfies EnvShape;

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
