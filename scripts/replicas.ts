/**
 * `npm run replicas`: govgraph scaled out on this machine, as a cluster runs it. Two gateway replicas
 * and two replicas of the budgets subgraph, each behind HAProxy (Debian's /usr/sbin/haproxy): clients
 * talk to HAProxy's gateway port, the gateways to HAProxy's budgets port. The gateways share their
 * rate-limit counts in Redis (GATEWAY_REDIS_URL); the budgets replicas share one database on a
 * PostgreSQL server by URL. HAProxy sends a replica traffic only while its /ready answers 200, and
 * retries a request on the other replica only when the connection was refused or a draining process
 * answered 503 (nothing ran, so even a mutation is safe to send again). docs/deployment.md "Replicas".
 *
 *   REPLICAS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REPLICAS_REDIS_URL=redis://127.0.0.1:6379 npm run replicas
 *
 * test/replicas.services.test.ts starts the same stack (startReplicas) and restarts and kills its processes.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { env, readEnv } from '../common/env';
import { generateGatewayKeys } from '../common/identity';
import { subgraphEnvName } from '../gateway/config';
import { loadRegistry, ROOT } from '../schema/registry';
import { freePort } from '../common/freePort';

export const HAPROXY = '/usr/sbin/haproxy';
const ISSUER = 'https://idp.replicas';
const AUDIENCE = 'govgraph';

export interface Replica {
  readonly name: string;
  readonly port: number;
  proc: ChildProcess;
  output: string;
}

export interface ReplicaStack {
  /** HAProxy's gateway frontend: http://127.0.0.1:<port>/graphql. */
  readonly url: string;
  readonly gateways: Replica[];
  readonly budgets: Replica[];
  /** The budgets database, as its owner. */
  readonly budgetsDatabaseUrl: string;
  /** A bearer token for `claims` from the stack's identity provider (valid 10 minutes). */
  token(claims: { role: string; agency?: string; sub: string }): Promise<string>;
  /** Stops `replica` with SIGTERM (it drains), starts it again on its port, resolves once /ready is 200. */
  restart(replica: Replica): Promise<void>;
  /** Kills `replica` with SIGKILL (no drain) and starts it again; resolves once it is ready. */
  kill(replica: Replica): Promise<void>;
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  /** A PostgreSQL server, as a superuser (the database `govgraph_replicas_budgets` is made there). */
  serverUrl: string;
  redisUrl: string;
  /** The budgets database's name (a test gives its own). */
  database?: string;
  /** Per-IP requests per window (GATEWAY_RATE_LIMIT_PER_IP). */
  rateLimitPerIp?: number;
  /** Run a compiled build (`npm run build`'s dist/, beside node_modules) instead of the sources through tsx. */
  dist?: string;
  /** More gateway settings (GATEWAY_RATE_LIMIT_PER_SUBJECT, …). */
  gatewayEnv?: Record<string, string>;
  log?: (line: string) => void;
}

async function waitReady(port: number, replica: Replica, withinMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (replica.proc.exitCode !== null)
      throw new Error(`${replica.name} exited: ${replica.output.slice(-2000)}`);
    if (Date.now() - t0 > withinMs) throw new Error(`${replica.name} not ready after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exited = (proc: ChildProcess): Promise<void> =>
  proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => proc.once('exit', () => resolve()));

function haproxyConfig(
  gateways: Replica[],
  budgets: Replica[],
  gatewayPort: number,
  budgetsPort: number,
  socket: string,
): string {
  const servers = (rs: Replica[]) => rs.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check`).join('\n');
  return `global
  maxconn 4096
  stats socket ${socket} level admin
defaults
  mode http
  timeout connect 1s
  timeout check 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch 1
  # A refused connection reached no process; a 503 is a draining process's answer to a request on a
  # kept-alive connection (Fastify closing: no handler ran) or a refusal before any write. Both are
  # safe to send to the other replica, mutations included. Never on 502/504: the request may have run.
  retry-on conn-failure 503
  option http-buffer-request
  default-server inter 500ms fall 2 rise 2
frontend graphql
  bind 127.0.0.1:${gatewayPort}
  option forwardfor
  default_backend gateways
backend gateways
  balance roundrobin
  option httpchk GET /ready
${servers(gateways)}
frontend budgets
  bind 127.0.0.1:${budgetsPort}
  default_backend budgets
backend budgets
  balance roundrobin
  # A subgraph closes its idle connections the moment it stops (it has no readiness delay): a request
  # sent on a reused one would meet the close. A new connection per request is refused instead, and retried.
  http-reuse never
  option httpchk GET /ready
${servers(budgets)}
`;
}

export async function startReplicas(opts: ReplicaOptions): Promise<ReplicaStack> {
  const log = opts.log ?? (() => undefined);
  const database = opts.database ?? 'govgraph_replicas_budgets';
  const admin = new Client({ connectionString: opts.serverUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const dbUrl = new URL(opts.serverUrl);
  dbUrl.pathname = `/${database}`;
  const budgetsDatabaseUrl = dbUrl.toString();

  const keys = generateGatewayKeys();
  const idp = generateKeyPairSync('ed25519');
  const dir = mkdtempSync(path.join(tmpdir(), 'govgraph-replicas-'));
  const [gatewayPort, budgetsPort, ...ports] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()));
  const budgets: Replica[] = ['budgets-1', 'budgets-2'].map((name, i) => ({
    name,
    port: ports[i],
    proc: null!,
    output: '',
  }));
  const gateways: Replica[] = ['gateway-1', 'gateway-2'].map((name, i) => ({
    name,
    port: ports[2 + i],
    proc: null!,
    output: '',
  }));

  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(GATEWAY_|SUBGRAPH_URL_|BUDGETS_)/.test(k) && k !== 'NODE_OPTIONS',
    ),
  );
  // Every subgraph but budgets points at a closed port: this stack serves the budgets part of the graph.
  const otherUrls = Object.fromEntries(
    loadRegistry()
      .filter((e) => e.name !== 'budgets')
      .map((e) => [`SUBGRAPH_URL_${subgraphEnvName(e.name)}`, 'http://127.0.0.1:9/graphql']),
  );
  const envOf = (replica: Replica): NodeJS.ProcessEnv =>
    replica.name.startsWith('budgets')
      ? {
          ...clean,
          BUDGETS_HOST: '127.0.0.1',
          BUDGETS_PORT: String(replica.port),
          BUDGETS_DATABASE_URL: budgetsDatabaseUrl,
          BUDGETS_GATEWAY_PUBLIC_KEY: keys.publicKey,
          BUDGETS_SEED_SCALE: '0.05',
          BUDGETS_LOG_LEVEL: 'warn',
        }
      : {
          ...clean,
          GATEWAY_HOST: '127.0.0.1',
          GATEWAY_PORT: String(replica.port),
          GATEWAY_REDIS_URL: opts.redisUrl,
          GATEWAY_RATE_LIMIT_PER_IP: String(opts.rateLimitPerIp ?? 100_000),
          GATEWAY_TRUST_PROXY: '127.0.0.1',
          // Long enough for HAProxy (a check every 500 ms, out after two failures) to stop sending it requests.
          GATEWAY_SHUTDOWN_DELAY: '2500',
          GATEWAY_SUBGRAPH_SIGNING_KEY: keys.privateKey,
          GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          GATEWAY_JWT_ISSUER: ISSUER,
          GATEWAY_JWT_AUDIENCE: AUDIENCE,
          SUBGRAPH_URL_BUDGETS: `http://127.0.0.1:${budgetsPort}/graphql`,
          ...otherUrls,
          LOG_LEVEL: 'warn',
          ...opts.gatewayEnv,
        };
  const code = opts.dist ?? ROOT;
  const ext = opts.dist ? 'js' : 'ts';
  const entry = (replica: Replica) =>
    replica.name.startsWith('budgets')
      ? path.join(code, `subgraphs/budgets/main.${ext}`)
      : path.join(code, `gateway/main.${ext}`);

  async function launch(replica: Replica): Promise<void> {
    replica.output = '';
    replica.proc = fork(entry(replica), [], {
      cwd: ROOT,
      execArgv: opts.dist ? [] : ['--import', 'tsx'],
      env: envOf(replica),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    replica.proc.stdout!.on('data', (c: Buffer) => (replica.output += c.toString()));
    replica.proc.stderr!.on('data', (c: Buffer) => (replica.output += c.toString()));
    await waitReady(replica.port, replica);
    log(`${replica.name} ready on 127.0.0.1:${replica.port}`);
  }

  /** A replica ready again takes traffic once HAProxy saw two good checks (rise 2, inter 500 ms). */
  const inRotation = () => new Promise((r) => setTimeout(r, 1500));
  const socket = path.join(dir, 'admin.sock');
  /** One command on HAProxy's runtime API (its admin socket); resolves with the answer. */
  const command = (line: string) =>
    new Promise<string>((resolve, reject) => {
      let answer = '';
      const c = connect(socket, () => c.end(`${line}\n`));
      c.on('data', (d: Buffer) => (answer += d.toString()));
      // `set server` answers nothing when it did what it was told.
      c.on('end', () =>
        answer.trim() ? reject(new Error(`haproxy: ${line}: ${answer.trim()}`)) : resolve(answer),
      );
      c.on('error', reject);
    });
  const backend = (replica: Replica) =>
    `${replica.name.startsWith('budgets') ? 'budgets' : 'gateways'}/${replica.name}`;
  const all = [...budgets, ...gateways];
  let haproxy: ChildProcess | undefined;
  const stop = async () => {
    for (const r of all) if (r.proc && r.proc.exitCode === null) r.proc.kill('SIGTERM');
    haproxy?.kill('SIGTERM');
    await Promise.all([...all.filter((r) => r.proc).map((r) => exited(r.proc)), haproxy && exited(haproxy)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await launch(budgets[0]); // migrates and seeds; the second finds both done
    await Promise.all([launch(budgets[1]), ...gateways.map(launch)]);
    const cfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(gateways, budgets, gatewayPort, budgetsPort, socket));
    // HAProxy's own lines (servers going down and up) only where the caller reads a log: `npm run replicas`.
    const haproxyOut = opts.log ? 'inherit' : 'ignore';
    haproxy = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', haproxyOut, haproxyOut] });
    const placeholder: Replica = { name: 'haproxy', port: gatewayPort, proc: haproxy, output: '' };
    await waitReady(gatewayPort, placeholder, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`haproxy: gateways on http://127.0.0.1:${gatewayPort}/graphql, budgets on 127.0.0.1:${budgetsPort}`);

  return {
    url: `http://127.0.0.1:${gatewayPort}/graphql`,
    gateways,
    budgets,
    budgetsDatabaseUrl,
    token: (claims) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(idp.privateKey),
    async restart(replica) {
      // As a rolling update does: out of the balancer first (a subgraph has no readiness delay of its
      // own: it stops listening on SIGTERM, and a connection accepted at that moment would be cut),
      // its requests in flight finish, then SIGTERM; back in once it is ready.
      await command(`set server ${backend(replica)} state drain`);
      await new Promise((r) => setTimeout(r, 500));
      replica.proc.kill('SIGTERM');
      await exited(replica.proc);
      await launch(replica);
      await command(`set server ${backend(replica)} state ready`);
      await inRotation();
    },
    async kill(replica) {
      replica.proc.kill('SIGKILL');
      await exited(replica.proc);
      await launch(replica);
      await inRotation();
    },
    stop,
  };
}

async function main(): Promise<void> {
  const settings = readEnv(process.env, {
    REPLICAS_DATABASE_URL: env.postgresUrl().default('postgres://postgres@127.0.0.1:5432/postgres'),
    REPLICAS_REDIS_URL: env.text().default('redis://127.0.0.1:6379'),
    REPLICAS_DIST: env.text().optional(),
  });
  const stack = await startReplicas({
    serverUrl: settings.REPLICAS_DATABASE_URL,
    redisUrl: settings.REPLICAS_REDIS_URL,
    dist: settings.REPLICAS_DIST && path.resolve(settings.REPLICAS_DIST),
    log: (line) => console.log(line),
  });
  const token = await stack.token({
    role: 'official',
    agency: '000.00.46.H62',
    sub: 'official@000.00.46.H62',
  });
  console.log(
    `govgraph replicas are up: ${stack.url}\n  an official's token: ${token}\nPress Ctrl-C to stop.`,
  );
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`replicas failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
