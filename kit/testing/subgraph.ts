/**
 * A subgraph started for a test on a throw-away database (database.ts: migrated, seeded, served as the
 * application role) and queried in-process or over HTTP on port 0, with signed callers; and a subgraph
 * with its peers for the writes that ask them.
 */ import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { openDatabase } from '../runtime/db';
import type { Database } from '../runtime/db';
import { DEFAULT_STATEMENT_TIMEOUT_MS, DEFAULT_TRANSACTION_TIMEOUT_MS } from '../runtime/config';
import { APP_ROLE, grantApplicationRole } from '../runtime/roles';
import { ANONYMOUS } from '../runtime/context';
import type { Caller } from '../runtime/context';
import type { SubgraphModule } from '../runtime/define';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  PEERS_HEADER,
  signCallerToken,
} from '../../common/identity';
import type { GatewayKeys } from '../../common/identity';
import { migrate } from '../runtime/migrate';
import { loadRegistry, ROOT } from '../../schema/registry';
import { createSubgraphServer } from '../runtime/server';
import { metricsListener, subgraphMetrics } from '../runtime/metrics';
import { createTestDatabase } from './database';
import type { TestDatabase } from './database';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestSubgraph {
  /**
   * The database the subgraph serves from: as the application role when the database came from
   * `createTestDatabase` (it cannot alter the audit log), with the serving timeouts.
   */
  readonly db: Database;
  /** The same database as its owner (migrations, seed, and what a test sets up or tampers with). */
  readonly adminDb: Database;
  readonly app: FastifyInstance;
  /**
   * In-process request (Fastify inject): no socket needed. Signed as the gateway would sign it, for
   * `caller` (default: the `caller` option, else anonymous).
   */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<GqlResult<T>>;
  /** Headers that make a request come from the gateway, for `caller` (default anonymous). */
  gatewayHeaders(caller?: Caller): Promise<Record<string, string>>;
  /** Listens on 127.0.0.1 and a free port; resolves to the GraphQL URL. */
  listen(): Promise<string>;
  /**
   * With the `metrics` option: serves `GET /metrics` (kit/runtime/metrics.ts) on a listener of its own,
   * on 127.0.0.1 and a free port; resolves to its URL.
   */
  listenMetrics(): Promise<string>;
  /** Closes the server and the database (dropping a database this helper created). */
  close(): Promise<void>;
}

export interface TestSubgraphOptions {
  /** Seed scale; 0 = no seed. Default 0.05. */
  scale?: number;
  /** A database to use (e.g. on the PostgreSQL server); default a fresh embedded one. */
  db?: Database;
  maxPageSize?: number;
  /**
   * The gateway key pair this subgraph trusts (startFederatedStack gives every subgraph and its
   * gateway the same one); default a fresh pair known only to this helper.
   */
  gatewayKeys?: GatewayKeys;
  /** The caller `gql` signs for when it is given none (default anonymous); see `callers`. */
  caller?: Caller;
  /** The subgraph's logger (default silent), e.g. one writing to a buffer a test reads. */
  logger?: Logger;
  /** The serving connection's timeouts (default: those of kit/runtime/config.ts). */
  statementTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /**
   * How long a request waits for one of the pool's 4 connections (default 20 s, not production's 5 s:
   * on a loaded 2-core CI machine ten serialised writes to one row can queue longer than 5 s without
   * anything being wrong). kit/test/db-failures.int.test.ts tests the refusal with its own pool.
   */
  acquireTimeoutMs?: number;
  /**
   * Peer subgraphs (kit/runtime/peers.ts) by name → GraphQL URL, e.g. a dossiers test subgraph started with
   * the same `gatewayKeys`: `gql` then sends a delegation token for each, as the gateway would.
   */
  peers?: Readonly<Record<string, string>>;
  /** Count requests, statements and the pool in Prometheus metrics, as `<NAME>_METRICS_PORT` does. */
  metrics?: boolean;
}

/** Callers for tests, one per role (the claims the gateway would have verified). */
export const callers = {
  anonymous: ANONYMOUS,
  admin: caller('admin'),
  analyst: caller('analyst'),
  official: (agencyCode: string): Caller => caller('official', { agencyCode }),
  partner: (agencyCode: string, ...scopes: string[]): Caller => caller('partner', { agencyCode, scopes }),
  citizen: (citizenId: string): Caller => caller('citizen', { citizenId }),
};

function caller(role: Caller['role'], claims: Partial<Caller> = {}): Caller {
  return Object.freeze({
    subject: `test-${role}`,
    role,
    agencyCode: null,
    citizenId: null,
    scopes: [],
    ...claims,
  });
}

export async function startTestSubgraph<L>(
  mod: SubgraphModule<L>,
  opts: TestSubgraphOptions = {},
): Promise<TestSubgraph> {
  const db = opts.db ?? (await createTestDatabase());
  // As `npm start` does (kit/runtime/run.ts): migrate and seed as the owner, serve as the application role.
  const appUrl = (db as Partial<TestDatabase>).appUrl;
  let serving: Database = db;
  try {
    await migrate(db, mod.databaseModules);
    if (appUrl) {
      await grantApplicationRole(db, decodeURIComponent(new URL(appUrl).username) || APP_ROLE);
      serving = await openDatabase({
        url: appUrl,
        poolSize: 4,
        statementTimeoutMs: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
        transactionTimeoutMs: opts.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
        acquireTimeoutMs: opts.acquireTimeoutMs ?? 20_000,
      });
    }
    const scale = opts.scale ?? 0.05;
    if (scale > 0) await mod.seed(db, scale);
  } catch (err) {
    if (serving !== db) await serving.close();
    await db.close();
    throw err;
  }
  const keys = opts.gatewayKeys ?? generateGatewayKeys();
  const app = createSubgraphServer({
    ...mod,
    db: serving,
    logger: opts.logger ?? pino({ level: 'silent' }),
    maxPageSize: opts.maxPageSize ?? 100,
    gatewayPublicKey: keys.publicKey,
  });
  const metrics = opts.metrics ? metricsListener(subgraphMetrics(app, serving)) : undefined;
  await app.ready();
  const signingKey = await importGatewayPrivateKey(keys.privateKey);
  const gatewayHeaders = async (caller: Caller = ANONYMOUS): Promise<Record<string, string>> => {
    const delegations = await Promise.all(
      Object.entries(opts.peers ?? {}).map(
        async ([peer, peerUrl]) =>
          `${peer}=${await signCallerToken(caller, signingKey, { audience: peer, actor: mod.name, peerUrl })}`,
      ),
    );
    return {
      [CALLER_HEADER]: await signCallerToken(caller, signingKey, { audience: mod.name }),
      ...(delegations.length ? { [PEERS_HEADER]: delegations.join(',') } : {}),
    };
  };
  return {
    db: serving,
    adminDb: db,
    app,
    gatewayHeaders,
    async gql(query, variables, caller) {
      const res = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: await gatewayHeaders(caller ?? opts.caller),
        payload: { query, variables },
      });
      return res.json();
    },
    async listen() {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      return `${address}/graphql`;
    },
    async listenMetrics() {
      if (!metrics) throw new Error(`${mod.name}: started without the metrics option`);
      const address = await metrics.listen({ host: '127.0.0.1', port: 0 });
      return `${address}/metrics`;
    },
    async close() {
      await metrics?.close();
      await app.close();
      if (serving !== db) await serving.close();
      await db.close();
    },
  };
}

/**
 * Peer subgraphs for a subgraph's own tests: a subgraph whose writes ask a peer (kit/runtime/peers.ts —
 * documents asks mail about signers) is tested with that peer running for real, on its own throw-away
 * database, trusting the same gateway keys. Peers are loaded by name from the registry (their folder's
 * `subgraph.ts`), so no subgraph imports another.
 */
export interface TestPeers {
  /** The key pair the peers trust: give it to the subgraph under test (`gatewayKeys`). */
  readonly gatewayKeys: GatewayKeys;
  /** Peer name → GraphQL URL: give it to the subgraph under test (`peers`). */
  readonly peers: Readonly<Record<string, string>>;
  readonly subgraphs: ReadonlyMap<string, TestSubgraph>;
  close(): Promise<void>;
}

function loadModule(name: string): SubgraphModule<unknown> {
  const entry = loadRegistry().find((e) => e.name === name);
  if (!entry) throw new Error(`no registered subgraph "${name}"`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(path.join(ROOT, entry.dir, 'subgraph.ts')) as Record<string, unknown>;
  const mod = Object.values(exports).find(
    (v): v is SubgraphModule<unknown> => (v as SubgraphModule<unknown> | null)?.name === name,
  );
  if (!mod) throw new Error(`${entry.dir}/subgraph.ts exports no subgraph named "${name}"`);
  return mod;
}

/** Starts the registered subgraphs `names`, seeded at `scale` (default 0.01), listening on port 0. */
export async function startTestPeers(
  names: readonly string[],
  opts: { scale?: number } = {},
): Promise<TestPeers> {
  const gatewayKeys = generateGatewayKeys();
  const subgraphs = new Map<string, TestSubgraph>();
  const peers: Record<string, string> = {};
  const close = async (): Promise<void> => {
    for (const s of subgraphs.values()) await s.close().catch(() => undefined);
  };
  try {
    for (const name of names) {
      const sub = await startTestSubgraph(loadModule(name), { scale: opts.scale ?? 0.01, gatewayKeys });
      subgraphs.set(name, sub);
      peers[name] = await sub.listen();
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { gatewayKeys, peers, subgraphs, close };
}
