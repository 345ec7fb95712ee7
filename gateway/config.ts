/**
 * Gateway settings: read once from the environment (and command-line flags), validated, frozen and
 * passed down. Nothing else in gateway/ reads `process.env`.
 */
import path from 'node:path';
import { ROOT } from '../schema/registry';
import { ConfigError } from './errors';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly supergraphPath: string;
  /** Subgraph URL overrides keyed by the normalised subgraph name (see `subgraphEnvName`). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly bodyLimit: number;
  readonly introspection: boolean;
  readonly graphiql: boolean;
  readonly logLevel: LogLevel;
  /** How long `stop()` keeps serving with /ready at 503 before it stops accepting (load balancer drain). */
  readonly shutdownDelayMs: number;
  /** How long `stop()` waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4000,
  supergraphPath: path.join(ROOT, 'schema/supergraph.graphql'),
  bodyLimit: 1_048_576,
  introspection: true,
  graphiql: true,
  logLevel: 'info' as LogLevel,
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10_000,
});

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';
/** GATEWAY_* variables this version understands; any other GATEWAY_* name is a typo and fails. */
const KNOWN_GATEWAY_VARS = new Set([
  'GATEWAY_HOST',
  'GATEWAY_PORT',
  'GATEWAY_BODY_LIMIT',
  'GATEWAY_INTROSPECTION',
  'GATEWAY_GRAPHIQL',
  'GATEWAY_SHUTDOWN_DELAY',
  'GATEWAY_SHUTDOWN_TIMEOUT',
]);

/** `documents` → `DOCUMENTS`, `land-records` → `LAND_RECORDS`: the suffix of its SUBGRAPH_URL_ variable. */
export function subgraphEnvName(subgraphName: string): string {
  return subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadGatewayConfig(env: Env, argv: readonly string[] = []): GatewayConfig {
  const flags = parseFlags(argv);
  for (const name of Object.keys(env)) {
    if (name.startsWith('GATEWAY_') && !KNOWN_GATEWAY_VARS.has(name)) {
      throw new ConfigError(name, `unknown setting (known: ${[...KNOWN_GATEWAY_VARS].join(', ')})`);
    }
  }

  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(SUBGRAPH_URL_PREFIX) || value === undefined) continue;
    const key = name.slice(SUBGRAPH_URL_PREFIX.length);
    if (!/^[A-Z0-9_]+$/.test(key))
      throw new ConfigError(name, 'subgraph name must be upper-case A-Z, 0-9 or _');
    subgraphUrls[key] = httpUrl(name, value);
  }

  const supergraph = flags.supergraph ?? nonEmpty(env, 'SUPERGRAPH_PATH');
  return Object.freeze({
    host: nonEmpty(env, 'GATEWAY_HOST') ?? DEFAULTS.host,
    port:
      flags.port !== undefined
        ? port('--port', flags.port)
        : env.GATEWAY_PORT !== undefined
          ? port('GATEWAY_PORT', env.GATEWAY_PORT)
          : DEFAULTS.port,
    supergraphPath: supergraph !== undefined ? path.resolve(supergraph) : DEFAULTS.supergraphPath,
    subgraphUrls: Object.freeze(subgraphUrls),
    bodyLimit: integer(env, 'GATEWAY_BODY_LIMIT', 1, 1 << 30) ?? DEFAULTS.bodyLimit,
    introspection: bool(env, 'GATEWAY_INTROSPECTION') ?? DEFAULTS.introspection,
    graphiql: bool(env, 'GATEWAY_GRAPHIQL') ?? DEFAULTS.graphiql,
    logLevel: logLevel(env) ?? DEFAULTS.logLevel,
    shutdownDelayMs: integer(env, 'GATEWAY_SHUTDOWN_DELAY', 0, 3_600_000) ?? DEFAULTS.shutdownDelayMs,
    shutdownTimeoutMs: integer(env, 'GATEWAY_SHUTDOWN_TIMEOUT', 0, 3_600_000) ?? DEFAULTS.shutdownTimeoutMs,
  });
}

function parseFlags(argv: readonly string[]): { supergraph?: string; port?: string } {
  const out: { supergraph?: string; port?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag !== '--supergraph' && flag !== '--port') {
      throw new ConfigError(arg, 'unknown command-line argument (known: --supergraph <path>, --port <n>)');
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new ConfigError(flag, 'needs a value');
    }
    out[flag === '--supergraph' ? 'supergraph' : 'port'] = value;
  }
  return out;
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(name, 'must not be empty');
  return value.trim();
}

function port(name: string, raw: string): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(name, `must be a port number 0-65535, got "${raw}"`);
  }
  return n;
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function logLevel(env: Env): LogLevel | undefined {
  const raw = env.LOG_LEVEL;
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return v as LogLevel;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return url.toString();
}
