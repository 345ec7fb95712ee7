/**
 * The core's variables (`CORE_ENV`), the command-line flags, their defaults, and the parsers of the
 * variables with a format of their own (worker count, trusted proxies, override labels, per-subgraph
 * timeouts). Each feature declares its own variables beside its code (feature.ts).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ROOT } from '../../schema/registry';
import { env } from '../../common/env';
import { DEFAULT_HTTP_TIMEOUTS } from '../../common/httpTimeouts';
import type { EnvShape, LogLevel } from '../../common/env';
import { isOverrideLabel } from '../engine/plan/overrideLabels';
import { DEFAULT_RESILIENCE } from '../transport';
import { GATEWAY_ENGINES } from './types';
import type { GatewayEngine, SupergraphSettings } from './types';

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

export const RESILIENCE = DEFAULT_RESILIENCE;

export const CORE_ENV = {
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

export const FLAGS = {
  '--port': env.port().optional(),
  '--supergraph': env.text().optional(),
} satisfies EnvShape;
