/**
 * A process started with a bad setting stops at once with exit code 1 and one line naming the
 * setting — every registered subgraph, the gateway and `npm start`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { envPrefix } from '../common/env';
import { loadRegistry, mainPath, ROOT } from '../schema/registry';

function run(file: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

interface Case {
  name: string;
  file: string;
  env: Record<string, string>;
  setting: string;
}

const DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const cases: Case[] = [
  ...loadRegistry().flatMap((e): Case[] => {
    const p = envPrefix(e.name);
    const sub = (name: string, env: Record<string, string>, setting: string): Case => ({
      name: `${e.name}: ${name}`,
      file: mainPath(e),
      env: { [`${p}DATABASE_URL`]: DB, ...env },
      setting,
    });
    return [
      sub('PORT=eighty', { [`${p}PORT`]: 'eighty' }, `${p}PORT`),
      sub('DATABASE_URL=mysql://x', { [`${p}DATABASE_URL`]: 'mysql://x' }, `${p}DATABASE_URL`),
      sub('no DATABASE_URL', { [`${p}DATABASE_URL`]: '' }, `${p}DATABASE_URL: is required`),
      sub('misspelt setting', { [`${p}DATABSE_URL`]: DB }, `${p}DATABSE_URL: unknown setting`),
      sub(
        'PostgreSQL unreachable',
        { [`${p}DATABASE_URL`]: 'postgres://postgres@127.0.0.1:1/none' },
        'failed to start',
      ),
    ];
  }),
  {
    name: 'npm start: GOVGRAPH_SEED_SCALE=lots',
    file: path.join(ROOT, 'scripts/start.ts'),
    env: { GOVGRAPH_SEED_SCALE: 'lots' },
    setting: 'GOVGRAPH_SEED_SCALE',
  },
  {
    name: 'npm start in production without database URLs',
    file: path.join(ROOT, 'scripts/start.ts'),
    env: { NODE_ENV: 'production' },
    setting: 'must be set in production',
  },
  {
    name: 'gateway: GATEWAY_PORT=-1',
    file: path.join(ROOT, 'gateway/main.ts'),
    env: { GATEWAY_PORT: '-1' },
    setting: 'GATEWAY_PORT',
  },
  {
    name: 'gateway: missing supergraph',
    file: path.join(ROOT, 'gateway/main.ts'),
    env: { SUPERGRAPH_PATH: '/nonexistent.graphql' },
    setting: 'SUPERGRAPH_PATH',
  },
];

test.each(cases)(
  '$name exits 1 with one line naming $setting',
  async ({ file, env, setting }) => {
    const { code, stderr } = await run(file, env);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(setting);
    expect(stderr).not.toMatch(/\s+at .*\(/); // no stack trace
  },
  30_000,
);
