/**
 * `npm start`: every registered subgraph as its own process, then the gateway, on embedded storage
 * with seeded data (first start seeds; data persists under data/). Prints the URLs; Ctrl-C stops all.
 *
 * Environment (see README "Configuration"):
 *   GOVGRAPH_DATA_DIR        root of the embedded databases (default data/; one folder per subgraph)
 *   GOVGRAPH_EPHEMERAL_PORTS 1 = every process listens on a free port (tests); default: registry ports
 *   <NAME>_DATABASE_URL      PostgreSQL URL for one subgraph, e.g. DOCUMENTS_DATABASE_URL
 *   SEED_SCALE, LOG_LEVEL, GATEWAY_*  passed through
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRegistry, mainPath, ROOT } from '../schema/registry';
import { composeRegistered } from './compose';

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;
const started = Date.now();
const env = process.env;
const ephemeral = /^(1|true)$/i.test(env.GOVGRAPH_EPHEMERAL_PORTS ?? '');
const dataRoot = path.resolve(ROOT, env.GOVGRAPH_DATA_DIR || 'data');
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

const envName = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

function launch(name: string, file: string, childEnv: NodeJS.ProcessEnv): Promise<string> {
  const proc = fork(file, [], {
    execArgv: ['--import', 'tsx'],
    env: { LOG_LEVEL: 'warn', ...childEnv },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push({ name, proc });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    proc.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'listening' && m.url) {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!stopping) {
        const why = `${name} exited (${signal ?? `code ${code}`})`;
        reject(new Error(why));
        console.error(`govgraph: ${why}; stopping everything.`);
        void stopAll(1);
      }
    });
  });
}

async function stopAll(code: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          const kill = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
          proc.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          proc.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const registry = loadRegistry();
  const supergraph = path.join(ROOT, 'schema/supergraph.graphql');
  if (!existsSync(supergraph) || readFileSync(supergraph, 'utf8') !== composeRegistered())
    console.warn('govgraph: schema/supergraph.graphql is stale — run `npm run compose`.');

  const urls = await Promise.all(
    registry.map((e) =>
      launch(e.name, mainPath(e), {
        ...env,
        PORT: ephemeral ? '0' : String(e.port),
        DATA_DIR: env[`${envName(e.name)}_DATA_DIR`] || path.join(dataRoot, e.name),
        DATABASE_URL: env[`${envName(e.name)}_DATABASE_URL`] || '',
      }).then((url) => ({ name: e.name, url })),
    ),
  );
  const gatewayEnv: NodeJS.ProcessEnv = { ...env, SUPERGRAPH_PATH: supergraph };
  if (ephemeral) gatewayEnv.GATEWAY_PORT = '0';
  for (const { name, url } of urls) gatewayEnv[`SUBGRAPH_URL_${envName(name)}`] = url;
  delete gatewayEnv.GOVGRAPH_DATA_DIR;
  delete gatewayEnv.GOVGRAPH_EPHEMERAL_PORTS;
  for (const key of Object.keys(gatewayEnv))
    if (/_DATABASE_URL$|_DATA_DIR$/.test(key)) delete gatewayEnv[key];
  const gatewayUrl = await launch('gateway', path.join(ROOT, 'gateway/main.ts'), gatewayEnv);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    `govgraph is up (${seconds} s)`,
    `  Gateway:   ${gatewayUrl}`,
    `  GraphiQL:  ${gatewayUrl.replace(/\/graphql$/, '/graphiql')}`,
    ...urls.map(({ name, url }) => `  ${`${name}:`.padEnd(10)} ${url}`),
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(`govgraph: ${err.message}`);
  void stopAll(1);
});
