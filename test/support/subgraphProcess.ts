/**
 * The budgets subgraph as its own process (its main.ts, as `npm start` runs it) on an embedded
 * PostgreSQL server of the test's own, with a caller token per request; and the helpers the fault
 * tests share: holding a budget line's row lock so that a mutation stays in flight, and waiting until
 * it does.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';
import { adminQuery, openDatabase } from '../../kit/runtime/db';
import type { EmbeddedPostgres } from '../../kit/embedded-postgres';
import { APP_ROLE } from '../../kit/runtime/roles';
import { callers } from '../../kit/testing';
import { ROOT } from '../../schema/registry';

export const LAP_THACH = '000.00.46.H62'; // its officials record its budget lines
export const BUDGETS_DB = 'govgraph_budgets';
export const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
export const LINE = `query($id: ID!) { budgetLine(id: $id) { id executed } }`;

export interface SubgraphProcess {
  proc: ChildProcess;
  url: string;
  /** http://host:port, for /ready and /health. */
  base: string;
  port: number;
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string>;
  gql(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<any>;
  /** The caller-token header of a request from the gateway, for requests made by hand. */
  headers(): Promise<Record<string, string>>;
  /** The same request, with the HTTP status. */
  post(
    query: string,
    variables?: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: any }>;
}

const keys = generateGatewayKeys();

export function startBudgets(
  server: EmbeddedPostgres,
  env: Record<string, string> = {},
): Promise<SubgraphProcess> {
  const base: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BUDGETS_')),
  );
  const proc = fork(`${ROOT}/subgraphs/budgets/main.ts`, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...base,
      BUDGETS_DATABASE_URL: server.appUrl(BUDGETS_DB),
      BUDGETS_MIGRATION_DATABASE_URL: server.url(BUDGETS_DB),
      BUDGETS_PORT: '0',
      BUDGETS_GATEWAY_PUBLIC_KEY: keys.publicKey,
      BUDGETS_SEED_SCALE: '0.05',
      BUDGETS_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.stdout!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m.type !== 'listening' || !m.url) return;
      const url = m.url;
      const origin = url.replace(/\/graphql$/, '');
      const sub: SubgraphProcess = {
        proc,
        url,
        base: origin,
        port: Number(new URL(url).port),
        output: () => stderr,
        exited,
        async gql(query, variables = {}, signal) {
          return (await sub.post(query, variables, signal)).body;
        },
        async headers() {
          const token = await signCallerToken(
            callers.official(LAP_THACH),
            await importGatewayPrivateKey(keys.privateKey),
            { audience: 'budgets' },
          );
          return { [CALLER_HEADER]: token };
        },
        async post(query, variables = {}, signal) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(await sub.headers()) },
            body: JSON.stringify({ query, variables }),
            signal,
          });
          return { status: res.status, body: await res.json() };
        },
      };
      resolve(sub);
    });
    void exited.then((code) => reject(new Error(`budgets exited (${code}): ${stderr}`)));
  });
}

/** Holds the row lock of `lineId` as the superuser until `release`; errors after a crash are ignored. */
export async function holdLineLock(
  server: EmbeddedPostgres,
  lineId: string,
): Promise<{ release: () => void }> {
  const admin = await openDatabase({ url: server.url(BUDGETS_DB), poolSize: 1 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  void admin
    .transaction(async (tx) => {
      await tx.query('SELECT id FROM budget_lines WHERE id = $1 FOR UPDATE', [lineId]);
      locked();
      await released;
    })
    .catch(() => undefined)
    .finally(() => admin.close().catch(() => undefined));
  await isLocked;
  return { release };
}

/** Waits until `count` connections of the application role wait for a lock (mutations in flight). */
export async function waitForLockWaits(server: EmbeddedPostgres, count = 1): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await adminQuery(
      server.url(BUDGETS_DB),
      `SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`,
      [APP_ROLE],
    );
    if (rows.length >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${count} mutations waited for the lock`);
}

/** Polls `url` until it answers `status`; resolves with the ms it took, rejects past `withinMs`. */
export async function waitForStatus(url: string, status: number, withinMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const got = await fetch(url, { signal: AbortSignal.timeout(withinMs) }).then(
      (r) => r.status,
      () => 0,
    );
    if (got === status) return Date.now() - t0;
    if (Date.now() - t0 > withinMs)
      throw new Error(`${url} answered ${got}, not ${status}, for ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
