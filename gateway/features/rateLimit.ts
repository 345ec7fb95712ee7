/**
 * Rate limiting per client IP and per authenticated subject: fixed windows of
 * `GATEWAY_RATE_LIMIT_WINDOW` ms, counted in this process, or in Redis when `GATEWAY_REDIS_URL` is
 * set (so every gateway replica shares the counts). Over a limit → 429 RATE_LIMITED with
 * `Retry-After`. If Redis cannot be reached the request is let through and a warning logged: the
 * limiter protects capacity, and an outage of it must not take the graph down with it. A limit of 0
 * turns that limit off. The client IP is the socket's peer address, or with GATEWAY_TRUST_PROXY the
 * address the trusted proxies forwarded (`X-Forwarded-For`).
 *
 * Two features, either side of identity (features/index.ts): `rateLimit` counts every request
 * against its IP *before* its token is verified, so a flood of bad tokens is refused with 429 once
 * over the limit instead of costing a signature check each (and answering 401 forever);
 * `subjectRateLimit` counts against the subject only once the token proved who that is (counting an
 * unverified `sub` would let anyone spend a victim's budget). Both share one counter.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { env } from '../../common/env';
import { ErrorCode } from '../../schema/error-codes';
import { callerOf } from '../context';
import type { GatewayContext, GatewayLogger } from '../context';
import { defineFeature } from '../feature';
import type { ContextFields, FeatureHost } from '../feature';

declare module '../context' {
  interface GatewayContext {
    /** The client's IP address (socket peer, or as trusted proxies forwarded it); set by the rate-limit feature. */
    readonly clientIp?: string;
  }
}

/** Counts a hit on `key` in the current window; resolves to the count and ms until the window resets. */
export interface WindowCounter {
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  close(): Promise<void>;
}

export function memoryCounter(): WindowCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        if (windows.size >= 100_000) for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return { count: w.count, resetMs: w.resetAt - now };
    },
    async close() {
      windows.clear();
    },
  };
}

// INCR and set the window's expiry on its first hit, atomically; returns [count, ms left].
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

export function redisCounter(url: string, prefix = 'govgraph:rl:'): WindowCounter {
  // Commands wait for the connection (no hit is lost while it opens), but never more than 500 ms.
  const redis = new Redis(url, { commandTimeout: 500, connectTimeout: 1000, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // each failed hit is logged by the caller
  return {
    async hit(key, windowMs) {
      const [count, ttl] = (await redis.eval(HIT, 1, prefix + key, String(windowMs))) as [number, number];
      return { count, resetMs: ttl > 0 ? ttl : windowMs };
    },
    async close() {
      redis.disconnect();
    },
  };
}

export interface RateLimitOptions {
  windowMs: number;
  perIp: number;
  perSubject: number;
  counter: WindowCounter;
}

/** Counts a hit on `key`; throws 429 over `limit`. */
function windowCheck(o: RateLimitOptions) {
  return async (key: string, limit: number, log: GatewayLogger): Promise<void> => {
    if (limit === 0) return;
    let hit;
    try {
      hit = await o.counter.hit(key, o.windowMs);
    } catch (err) {
      log.warn({ err }, 'rate limiter unavailable; request let through');
      return;
    }
    if (hit.count > limit) {
      const seconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
      throw new GraphQLError(`Too many requests; retry in ${seconds} s`, {
        extensions: {
          code: ErrorCode.RATE_LIMITED,
          http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
        },
      });
    }
  };
}

/**
 * Counts the request against its client IP; throws 429 over the limit. A context hook that runs
 * before the identity feature's, so a refused request costs no token verification and no parsing.
 */
export function ipRateLimiter(o: RateLimitOptions): (request: FastifyRequest) => Promise<ContextFields> {
  const check = windowCheck(o);
  return async (request) => {
    await check(`ip:${request.ip}`, o.perIp, request.log);
    return { clientIp: request.ip };
  };
}

/** Counts the request against its verified subject (none for anonymous callers); throws 429 over the limit. */
export function subjectRateLimiter(o: RateLimitOptions): (request: FastifyRequest) => Promise<ContextFields> {
  const check = windowCheck(o);
  return async (request) => {
    const subject = callerOf(request)?.subject;
    if (subject) await check(`sub:${subject}`, o.perSubject, request.log);
    return {};
  };
}

/** Closes the counter (a Redis connection) when the gateway stops. */
function closing(counter: WindowCounter): ApolloServerPlugin<GatewayContext> {
  return {
    async serverWillStart() {
      return { serverWillStop: () => counter.close() };
    },
  };
}

export const rateLimit = defineFeature({
  name: 'rate-limit',
  env: {
    /** Window length, ms. */
    GATEWAY_RATE_LIMIT_WINDOW: env.integer(1000, 86_400_000).default(60_000),
    /** Requests per window from one client IP (0 = no limit). */
    GATEWAY_RATE_LIMIT_PER_IP: env.integer(0, 100_000_000).default(1200),
    /** Requests per window by one authenticated subject (0 = no limit). */
    GATEWAY_RATE_LIMIT_PER_SUBJECT: env.integer(0, 100_000_000).default(600),
    /** Count in Redis (shared by every replica) instead of in this process. */
    GATEWAY_REDIS_URL: env.text().optional(),
  },
  create: (s, host) => {
    const counter = s.GATEWAY_REDIS_URL ? redisCounter(s.GATEWAY_REDIS_URL) : memoryCounter();
    const options: RateLimitOptions = {
      windowMs: s.GATEWAY_RATE_LIMIT_WINDOW,
      perIp: s.GATEWAY_RATE_LIMIT_PER_IP,
      perSubject: s.GATEWAY_RATE_LIMIT_PER_SUBJECT,
      counter,
    };
    shared.set(host, options);
    return { context: ipRateLimiter(options), plugins: [closing(counter)] };
  },
});

/** The settings and counter `rateLimit` made for a gateway, for `subjectRateLimit` (same host). */
const shared = new WeakMap<FeatureHost, RateLimitOptions>();

/**
 * The per-subject half of rate limiting: listed after identity, it counts a request against the
 * subject its verified token names, with `rateLimit`'s settings and counter (which must be listed
 * before it).
 */
export const subjectRateLimit = defineFeature({
  name: 'rate-limit-subject',
  create: (_s, host) => {
    const options = shared.get(host);
    if (!options) throw new Error('gateway feature "rate-limit-subject" needs "rate-limit" listed before it');
    return { context: subjectRateLimiter(options) };
  },
});
