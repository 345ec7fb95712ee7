/**
 * A process started with a bad setting stops at once with exit code 1 and one line naming the
 * setting — every registered subgraph and the gateway.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
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

const cases: Case[] = [
  ...loadRegistry().flatMap((e): Case[] => [
    { name: `${e.name}: PORT=eighty`, file: mainPath(e), env: { PORT: 'eighty' }, setting: 'PORT' },
    {
      name: `${e.name}: DATABASE_URL=mysql://x`,
      file: mainPath(e),
      env: { DATABASE_URL: 'mysql://x' },
      setting: 'DATABASE_URL',
    },
    {
      name: `${e.name}: PostgreSQL unreachable`,
      file: mainPath(e),
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' },
      setting: 'failed to start',
    },
  ]),
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
