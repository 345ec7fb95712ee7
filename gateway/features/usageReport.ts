/**
 * Usage reporting (issue 19, usage-aware checks; docs/registry.md "Usage"): which schema coordinates
 * (`Type.field`) each operation of each client used, counted per UTC day, sent to the schema registry
 * every GATEWAY_USAGE_REPORT_INTERVAL ms. Off unless GATEWAY_USAGE_REPORT_URL is set.
 *
 * - The coordinates of a document are computed once per parsed document and operation (a WeakMap on
 *   the DocumentNode Apollo Server caches per schema version), so a request costs two map lookups, a
 *   short key and a counter increment (the UTC day is recomputed at midnight, not per request).
 * - The client is the `graphql-client-name` / `apollographql-client-name` header (the trusted-document
 *   clients), else `partner:<agency>` for a partner token, else the caller's role.
 * - Bounded: at most GATEWAY_USAGE_MAX_KEYS (day, client, operation) aggregates between two reports;
 *   beyond that requests are counted as dropped, not stored. A report that fails is logged (once per
 *   outage) and dropped: memory never grows with an unreachable registry.
 */
import type { DocumentNode } from 'graphql';
import { ConfigError, env } from '../../common/env';
import type { Caller } from '../../common/identity';
import { usedCoordinates } from '../../schema/coordinates';
import { defineFeature } from '../feature';

const CLIENT_HEADERS = ['graphql-client-name', 'apollographql-client-name'];
/** The registry takes at most this many reports per request (registry/usage.ts). */
const REPORTS_PER_REQUEST = 5000;

function clientOf(
  headers: { get(name: string): string | null | undefined } | undefined,
  caller?: Caller,
): string {
  for (const name of CLIENT_HEADERS) {
    const value = headers?.get(name)?.trim();
    if (value) return value.slice(0, 200);
  }
  if (!caller) return 'anonymous';
  return caller.role === 'partner' && caller.agencyCode ? `partner:${caller.agencyCode}` : caller.role;
}

export const usageReport = defineFeature({
  name: 'usage-report',
  env: {
    /** The registry's usage endpoint, e.g. `https://registry/v1/environments/production/usage`. */
    GATEWAY_USAGE_REPORT_URL: env.httpUrl().optional(),
    /** A service token (official or admin) the registry accepts. */
    GATEWAY_USAGE_REPORT_TOKEN: env.text().optional(),
    /** Ms between two reports. */
    GATEWAY_USAGE_REPORT_INTERVAL: env.integer(100, 3_600_000).default(60_000),
    /** Most (day, client, operation) aggregates kept between two reports. */
    GATEWAY_USAGE_MAX_KEYS: env.integer(1, 1_000_000).default(10_000),
  },
  create(settings, host) {
    const url = settings.GATEWAY_USAGE_REPORT_URL;
    if (!url) return {};
    const token = settings.GATEWAY_USAGE_REPORT_TOKEN;
    if (!token)
      throw new ConfigError('GATEWAY_USAGE_REPORT_TOKEN', 'is required with GATEWAY_USAGE_REPORT_URL');
    const logger = host.logger;
    // Per parsed document and operation: its coordinates and a number naming them in aggregate keys.
    type Used = { coordinates: string[]; id: number };
    let nextId = 0;
    const byDocument = new WeakMap<DocumentNode, Map<string | null, Used>>();
    // The UTC day, recomputed when the clock passes midnight (not a Date per request).
    let currentDay = '';
    let dayEnds = 0;
    const today = () => {
      const now = Date.now();
      if (now >= dayEnds) {
        currentDay = new Date(now).toISOString().slice(0, 10);
        dayEnds = Date.parse(`${currentDay}T00:00:00.000Z`) + 86_400_000;
      }
      return currentDay;
    };
    type Aggregate = { day: string; client: string; operation: string; coordinates: string[]; count: number };
    let pending = new Map<string, Aggregate>();
    let dropped = 0;
    let failing = false;

    const flush = async () => {
      if (!pending.size) return;
      const reports = [...pending.values()];
      const lost = dropped;
      pending = new Map();
      dropped = 0;
      try {
        for (let i = 0; i < reports.length; i += REPORTS_PER_REQUEST) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ reports: reports.slice(i, i + REPORTS_PER_REQUEST) }),
            signal: AbortSignal.timeout(10_000),
          });
          await response.body?.cancel();
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
        }
        if (failing) logger.info('usage reports reach the registry again');
        failing = false;
        if (lost)
          logger.warn({ dropped: lost }, 'usage: requests not counted (GATEWAY_USAGE_MAX_KEYS reached)');
      } catch (error) {
        if (!failing)
          logger.warn(
            { reason: (error as Error).message, reports: reports.length },
            'cannot report usage; dropped',
          );
        failing = true;
      }
    };
    let flushing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      flushing = flushing.then(flush);
    }, settings.GATEWAY_USAGE_REPORT_INTERVAL);
    timer.unref();

    return {
      plugins: [
        {
          async serverWillStart() {
            return {
              async serverWillStop() {
                clearInterval(timer);
                await (flushing = flushing.then(flush));
              },
            };
          },
          async requestDidStart() {
            return {
              async didResolveOperation({ document, operationName, schema, request, contextValue }) {
                let perOperation = byDocument.get(document);
                if (!perOperation) byDocument.set(document, (perOperation = new Map()));
                let used = perOperation.get(operationName);
                if (!used) {
                  const coordinates = usedCoordinates(schema, document, operationName);
                  used = { coordinates, id: nextId++ };
                  perOperation.set(operationName, used);
                }
                if (!used.coordinates.length) return;
                const day = today();
                const client = clientOf(request.http?.headers, contextValue.identity);
                const operation = operationName ?? '(anonymous)';
                const key = `${day}\0${client}\0${operation}\0${used.id}`;
                const aggregate = pending.get(key);
                if (aggregate) aggregate.count++;
                else if (pending.size < settings.GATEWAY_USAGE_MAX_KEYS)
                  pending.set(key, { day, client, operation, coordinates: used.coordinates, count: 1 });
                else dropped++;
              },
            };
          },
        },
      ],
    };
  },
});
