/**
 * `npm start`: one embedded PostgreSQL server (one database per subgraph), every registered subgraph as
 * its own process, then the gateway. First start initialises and seeds; data persists under data/.
 * Prints the URLs; Ctrl-C stops everything in order. The database server is tied to this process: it
 * stops when this process ends, however it ends (kit/embedded-postgres.ts), and when it dies, this
 * process stops everything.
 *
 * Each child is supervised (scripts/start/supervise.ts): one that crashes after its first start is
 * started again on the same port with a growing delay while the others keep serving; after
 * GOVGRAPH_RESTART_MAX_CRASHES within the window it is given up on (a subgraph: the rest keep serving
 * without its fields; the gateway: everything stops).
 *
 * Settings (see docs/configuration.md): GOVGRAPH_* below; <NAME>_* reach that subgraph, GATEWAY_* and
 * SUBGRAPH_URL_* the gateway.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { embeddedDatabaseName, startEmbeddedPostgres } from '../kit/embedded-postgres';
import { generateGatewayKeys } from '../common/identity';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { buildDashboard } from './dashboard';
import { buildPortal } from './portal';
import { ConfigError, env as setting, envPrefix, readEnv, rejectUnknown } from '../common/env';
import { loadRegistry, mainPath, peersSetting, ROOT } from '../schema/registry';
import type { RegistryEntry } from '../schema/registry';
import { composeRegistered } from './compose';
import { devTokenKeys } from './devKeys';
import { childLogOutput } from './logLines';
import { DEFAULT_RESTART_POLICY, supervise } from './start/supervise';
import type { RestartPolicy, Supervised } from './start/supervise';

const STOP_TIMEOUT_MS = 15_000;
const started = Date.now();
const env = process.env;
const children: Supervised[] = [];
let database: EmbeddedPostgres | null = null;
let stopping = false;

/** npm start's own settings (GOVGRAPH_*); each process it starts reads its own prefix. */
function loadStartConfig() {
  const production = env.NODE_ENV === 'production';
  const shape = {
    GOVGRAPH_DATA_DIR: setting.text().default('data'),
    GOVGRAPH_EPHEMERAL_PORTS: setting.boolean().default(false),
    GOVGRAPH_SEED_SCALE: setting.decimal(0, 1000).default(1),
    GOVGRAPH_LOG_LEVEL: setting.logLevel().default('warn'),
    GOVGRAPH_PG_PORT: setting.port().default(0),
    // A first start seeds before it listens: a large scale takes minutes (docs/benchmarks.md).
    GOVGRAPH_READY_TIMEOUT_S: setting.integer(1, 86_400).default(180),
    GOVGRAPH_ALLOW_EMBEDDED: setting.boolean().default(!production),
    GOVGRAPH_REGISTRY: setting.text().default('schema/registry.json'), // read by schema/registry.ts
    // One Redis for events and subscriptions (docs/subscriptions.md): each subgraph's relay publishes
    // to it (<NAME>_EVENTS_REDIS_URL) and the gateway serves subscriptions from it
    // (GATEWAY_SUBSCRIPTIONS_REDIS_URL); a variable set explicitly wins. Unset: neither.
    GOVGRAPH_REDIS_URL: setting
      .text()
      .refine((v) => /^rediss?:\/\/\S+$/.test(v), { message: 'must be a redis:// or rediss:// URL' })
      .optional(),
    // A crashed child's restarts (scripts/start/supervise.ts).
    GOVGRAPH_RESTART_DELAY_MS: setting.integer(1, 3_600_000).default(DEFAULT_RESTART_POLICY.initialDelayMs),
    GOVGRAPH_RESTART_MAX_DELAY_MS: setting.integer(1, 3_600_000).default(DEFAULT_RESTART_POLICY.maxDelayMs),
    GOVGRAPH_RESTART_MAX_CRASHES: setting.integer(1, 1000).default(DEFAULT_RESTART_POLICY.maxCrashes),
    GOVGRAPH_RESTART_WINDOW_S: setting.integer(1, 86_400).default(DEFAULT_RESTART_POLICY.windowMs / 1000),
  };
  rejectUnknown(env, 'GOVGRAPH_', Object.keys(shape));
  const s = readEnv(env, shape);
  return {
    DATA_DIR: s.GOVGRAPH_DATA_DIR,
    EPHEMERAL_PORTS: s.GOVGRAPH_EPHEMERAL_PORTS,
    SEED_SCALE: s.GOVGRAPH_SEED_SCALE,
    LOG_LEVEL: s.GOVGRAPH_LOG_LEVEL,
    PG_PORT: s.GOVGRAPH_PG_PORT,
    READY_TIMEOUT_MS: s.GOVGRAPH_READY_TIMEOUT_S * 1000,
    ALLOW_EMBEDDED: s.GOVGRAPH_ALLOW_EMBEDDED,
    REGISTRY: s.GOVGRAPH_REGISTRY,
    REDIS_URL: s.GOVGRAPH_REDIS_URL,
    RESTART: {
      initialDelayMs: s.GOVGRAPH_RESTART_DELAY_MS,
      maxDelayMs: s.GOVGRAPH_RESTART_MAX_DELAY_MS,
      maxCrashes: s.GOVGRAPH_RESTART_MAX_CRASHES,
      windowMs: s.GOVGRAPH_RESTART_WINDOW_S * 1000,
    } satisfies RestartPolicy,
  };
}

/**
 * Starts `file` as a supervised child; resolves with its URL once it first listens. On a restart it
 * gets the port it had (`portVariable`), so the URLs printed and given to the gateway stay true.
 */
function launch(
  name: string,
  file: string,
  childEnv: NodeJS.ProcessEnv,
  opts: { readyTimeoutMs: number; policy: RestartPolicy; portVariable: string },
): Promise<string> {
  // In a terminal (not production) the JSON log lines are printed readable (scripts/logLines.ts).
  const output = childLogOutput(process.stdout, env);
  const child = supervise({
    name,
    policy: opts.policy,
    readyTimeoutMs: opts.readyTimeoutMs,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    log: (line) => console.error(`govgraph: ${line}`),
    // Without its gateway nothing serves: stop everything (exit 1) rather than sit there.
    onGiveUp: name === 'gateway' ? () => void stopAll(1) : undefined,
    spawn: (previousUrl) => {
      const port = previousUrl ? { [opts.portVariable]: new URL(previousUrl).port } : {};
      const proc = fork(file, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...childEnv, ...port },
        stdio: ['ignore', output.stdio, 'inherit', 'ipc'],
      });
      output.attach(proc);
      return proc;
    },
  });
  children.push(child);
  return child.ready;
}

/** The gateway first (it stops taking requests), then the subgraphs, then their database server. */
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all(children.filter((c) => c.name === 'gateway').map((c) => c.stop()));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map((c) => c.stop()));
    await database?.stop();
  } else await new Promise(() => undefined); // the first call exits
  process.exit(code);
}

/**
 * The committed supergraph for the committed registry (with a warning when it is stale); for another
 * registry (a partner's subgraph being tried out), that registry composed into the data folder.
 */
function supergraphFor(registry: RegistryEntry[], registryFile: string, dataDir: string): string {
  const composed = composeRegistered(registry);
  const committed = path.join(ROOT, 'schema/supergraph.graphql');
  if (path.resolve(ROOT, registryFile) === path.join(ROOT, 'schema/registry.json')) {
    if (!existsSync(committed) || readFileSync(committed, 'utf8') !== composed)
      console.warn('govgraph: schema/supergraph.graphql is stale — run `npm run compose`.');
    return committed;
  }
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'supergraph.graphql');
  writeFileSync(file, composed);
  return file;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const config = loadStartConfig();
  const ephemeral = config.EPHEMERAL_PORTS;
  const registry = loadRegistry();
  const dataDir = path.resolve(ROOT, config.DATA_DIR);
  const supergraph = env.SUPERGRAPH_PATH || supergraphFor(registry, config.REGISTRY, dataDir);

  // A subgraph without its own <NAME>_DATABASE_URL gets a database on the embedded server.
  const embedded = registry.filter((e) => !env[`${envPrefix(e.name)}DATABASE_URL`]);
  if (embedded.length && !config.ALLOW_EMBEDDED)
    throw new ConfigError(
      embedded.map((e) => `${envPrefix(e.name)}DATABASE_URL`).join(', '),
      'must be set in production (or set GOVGRAPH_ALLOW_EMBEDDED=true to use the embedded server)',
    );
  // On the embedded server a subgraph serves as the application role and migrates and seeds as the
  // superuser (docs/database.md); the passwords live in data/postgres.secret.
  const dbUrls = new Map<string, { app: string; owner: string }>();
  if (embedded.length) {
    database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: config.PG_PORT });
    void database.exited.then(() => {
      if (stopping) return;
      console.error('govgraph: the embedded database server exited; stopping everything.');
      void stopAll(1);
    });
    for (const e of embedded) {
      const name = embeddedDatabaseName(e.name);
      dbUrls.set(e.name, { owner: await database.ensureDatabase(name), app: database.appUrl(name) });
    }
  }

  // The gateway signs each caller for the subgraphs (common/identity.ts): unless a signing key is
  // configured (with each subgraph's <NAME>_GATEWAY_PUBLIC_KEY), a fresh key pair for this run.
  const runKeys = env.GATEWAY_SUBGRAPH_SIGNING_KEY ? null : generateGatewayKeys();
  const urls = await Promise.all(
    registry.map((e) => {
      const p = envPrefix(e.name);
      return launch(
        e.name,
        mainPath(e),
        {
          ...env,
          ...(runKeys ? { [`${p}GATEWAY_PUBLIC_KEY`]: runKeys.publicKey } : {}),
          [`${p}PORT`]: ephemeral ? '0' : env[`${p}PORT`] || String(e.port),
          [`${p}DATABASE_URL`]: env[`${p}DATABASE_URL`] || dbUrls.get(e.name)?.app,
          [`${p}MIGRATION_DATABASE_URL`]:
            env[`${p}MIGRATION_DATABASE_URL`] ||
            (env[`${p}DATABASE_URL`] ? undefined : dbUrls.get(e.name)?.owner),
          [`${p}LOG_LEVEL`]: env[`${p}LOG_LEVEL`] || config.LOG_LEVEL,
          [`${p}SEED_SCALE`]: env[`${p}SEED_SCALE`] || String(config.SEED_SCALE),
          [`${p}EVENTS_REDIS_URL`]: env[`${p}EVENTS_REDIS_URL`] || config.REDIS_URL,
        },
        { readyTimeoutMs: config.READY_TIMEOUT_MS, policy: config.RESTART, portVariable: `${p}PORT` },
      ).then((url) => ({ name: e.name, url }));
    }),
  );
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...env,
    SUPERGRAPH_PATH: supergraph,
    LOG_LEVEL: env.LOG_LEVEL || config.LOG_LEVEL,
  };
  if (ephemeral) gatewayEnv.GATEWAY_PORT = '0';
  if (config.REDIS_URL && !env.GATEWAY_SUBSCRIPTIONS_REDIS_URL)
    gatewayEnv.GATEWAY_SUBSCRIPTIONS_REDIS_URL = config.REDIS_URL;
  if (runKeys) gatewayEnv.GATEWAY_SUBGRAPH_SIGNING_KEY = runKeys.privateKey;
  // Who checks writes with whom (registry `peers`): the gateway delegates the caller to them.
  gatewayEnv.GATEWAY_SUBGRAPH_PEERS = env.GATEWAY_SUBGRAPH_PEERS ?? peersSetting(registry);
  // Without a real identity provider, the gateway trusts the dev tokens of `npm run token`.
  if (!env.GATEWAY_JWT_JWKS_URL && !env.GATEWAY_JWT_PUBLIC_KEY && env.NODE_ENV !== 'production')
    gatewayEnv.GATEWAY_JWT_PUBLIC_KEY = devTokenKeys(dataDir).publicKey;
  for (const { name, url } of urls) gatewayEnv[`SUBGRAPH_URL_${envPrefix(name).slice(0, -1)}`] = url;
  // The analysts' scorecard dashboard (clients/dashboard/) and the citizens' portal page
  // (clients/portal/page/), bundled now and served by the gateway.
  if (env.GATEWAY_SITES === undefined)
    gatewayEnv.GATEWAY_SITES = [
      `/dashboard=${await buildDashboard(path.join(dataDir, 'dashboard'))}`,
      `/portal=${await buildPortal(path.join(dataDir, 'portal'))}`,
    ].join(',');
  // The portal page names itself `portal` and is held to the portal's trusted documents, as in
  // production; other anonymous callers (GraphiQL, the dashboard) stay free in development.
  if (env.GATEWAY_TRUSTED_DOCUMENTS === undefined) {
    gatewayEnv.GATEWAY_TRUSTED_DOCUMENTS = `portal=${path.join(ROOT, 'clients/portal/manifest.json')}`;
    gatewayEnv.GATEWAY_ANONYMOUS_CLIENT = env.GATEWAY_ANONYMOUS_CLIENT ?? 'off';
  }
  const sites = (gatewayEnv.GATEWAY_SITES ?? '').split(',').map((s) => s.slice(0, s.indexOf('=')));
  const gatewayUrl = await launch('gateway', path.join(ROOT, 'gateway/main.ts'), gatewayEnv, {
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    policy: config.RESTART,
    portVariable: 'GATEWAY_PORT',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    `govgraph is up (${seconds} s)`,
    `  Gateway:   ${gatewayUrl}`,
    `  GraphiQL:  ${gatewayUrl.replace(/\/graphql$/, '/graphiql')}`,
    ...(sites.includes('/dashboard')
      ? [`  Dashboard: ${gatewayUrl.replace(/\/graphql$/, '/dashboard/')}`]
      : []),
    ...(sites.includes('/portal') ? [`  Portal:    ${gatewayUrl.replace(/\/graphql$/, '/portal/')}`] : []),
    ...urls.map(({ name, url }) => `  ${`${name}:`.padEnd(10)} ${url}`),
    ...(database
      ? [
          `  Database:  ${database.appUrl('<db>').replace(/:[^:@/]+@/, ':***@')} (embedded PostgreSQL in ${path.relative(ROOT, database.dataDir) || '.'}; passwords in ${path.relative(ROOT, database.secretFile)})`,
        ]
      : []),
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(`govgraph: ${err.message}`);
  void stopAll(1);
});
