/**
 * The embedded database as `npm start` lays it out, for test/database-access.e2e.test.ts and
 * test/database-crash.e2e.test.ts: one embedded PostgreSQL server in a temporary folder and the budgets
 * subgraph's own process (its main.ts), serving as the application role and migrated and seeded as the
 * superuser. `useBudgetsDatabase()` starts both before the file's tests and stops them after.
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';
import { startEmbeddedPostgres } from '../../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../../kit/embedded-postgres';
import { callers } from '../../kit/testing';
import { ROOT } from '../../schema/registry';

export const LAP_THACH = '000.00.46.H62'; // its officials record its budget lines
export const DB = 'govgraph_budgets';
export const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
export const LINE = `query($id: ID!) { budgetLine(id: $id) { id executed } }`;

export interface BudgetsDatabase {
  /** The data folder of the server (its secret file sits next to it: `${dataDir}.secret`). */
  readonly dataDir: string;
  /** The running server; a test that restarts it assigns the new one. */
  server: EmbeddedPostgres;
  readonly subgraph: ChildProcess;
  readonly subgraphUrl: string;
  /** A seeded 2024 spending line of Lập Thạch. */
  readonly lineId: string;
  /** Queries the subgraph directly as an official of Lập Thạch, signed as the gateway. */
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  stopSubgraph(): Promise<void>;
  /**
   * Connects as `user` with `password` ('' = none), as the OS user `uid` (a node process of theirs):
   * `CONNECTED`, or `REFUSED <code> <message>`.
   */
  attempt(uid: number | undefined, user: string, password?: string): string;
}

export function useBudgetsDatabase(): BudgetsDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-db-'));
  const keys = generateGatewayKeys();
  let subgraph: ChildProcess;
  let subgraphUrl: string;
  let lineId: string;
  let stderr = '';

  const db: BudgetsDatabase = {
    dataDir: path.join(dir, 'postgres'),
    server: undefined as unknown as EmbeddedPostgres,
    get subgraph() {
      return subgraph;
    },
    get subgraphUrl() {
      return subgraphUrl;
    },
    get lineId() {
      return lineId;
    },
    gql,
    stopSubgraph,
    attempt,
  };

  /** The budgets subgraph's own process, as npm start runs it (scripts/start.ts). */
  function startSubgraph(): Promise<string> {
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('BUDGETS_')),
    );
    subgraph = fork(path.join(ROOT, 'subgraphs/budgets/main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...env,
        BUDGETS_DATABASE_URL: db.server.appUrl(DB),
        BUDGETS_MIGRATION_DATABASE_URL: db.server.url(DB),
        BUDGETS_PORT: '0',
        BUDGETS_GATEWAY_PUBLIC_KEY: keys.publicKey,
        BUDGETS_SEED_SCALE: '0.05',
        BUDGETS_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    subgraph.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve, reject) => {
      subgraph.on('message', (m: { type?: string; url?: string }) => {
        if (m.type === 'listening' && m.url) resolve(m.url);
      });
      subgraph.once('exit', (code) => reject(new Error(`budgets exited (${code}): ${stderr}`)));
    });
  }

  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const token = await signCallerToken(
      callers.official(LAP_THACH),
      await importGatewayPrivateKey(keys.privateKey),
      { audience: 'budgets' },
    );
    const res = await fetch(subgraphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLER_HEADER]: token },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  }

  async function stopSubgraph(): Promise<void> {
    if (!subgraph || subgraph.exitCode !== null || subgraph.signalCode !== null) return;
    const exited = new Promise((r) => subgraph.once('exit', r));
    subgraph.kill('SIGTERM');
    await exited;
  }

  function attempt(uid: number | undefined, user: string, password = ''): string {
    const script = `
      const { Client } = require(${JSON.stringify(require.resolve('pg'))});
      const c = new Client({ host: '127.0.0.1', port: ${db.server.port}, user: ${JSON.stringify(user)},
        database: 'postgres', password: ${JSON.stringify(password)}, connectionTimeoutMillis: 5000 });
      c.on('error', () => {});
      c.connect().then(
        () => { console.log('CONNECTED'); process.exit(0); },
        (e) => { console.log('REFUSED ' + (e.code || '-') + ' ' + e.message); process.exit(0); });`;
    const r = spawnSync(process.execPath, ['-e', script], {
      uid,
      gid: uid,
      encoding: 'utf8',
      timeout: 15_000,
    });
    return r.stdout.trim() || r.stderr.trim();
  }

  beforeAll(async () => {
    db.server = await startEmbeddedPostgres({ dataDir: db.dataDir });
    await db.server.ensureDatabase(DB);
    subgraphUrl = await startSubgraph();
    const r = await gql(
      `{ budgetLines(filter: { agencyCode: "${LAP_THACH}", fiscalYear: 2024, direction: CHI }, first: 1) { nodes { id } } }`,
    );
    lineId = r.data.budgetLines.nodes[0].id;
  }, 120_000);

  afterAll(async () => {
    await stopSubgraph();
    await db.server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  return db;
}
