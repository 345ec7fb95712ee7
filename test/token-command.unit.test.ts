/**
 * `TOKEN=$(npm run -s token -- …)` captures the token and nothing else (issue 17: without `-s`, npm's
 * banner went into the variable); run without `-s`, the command says on standard error how to.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../schema/registry';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-token-'));
// As from a terminal: without the npm_config_* settings an enclosing `npm test --silent` (CI) passes
// down, which would silence the banner of the nested `npm run` too.
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
const env = { ...shellEnv, GOVGRAPH_DATA_DIR: dataDir, NODE_OPTIONS: '' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('npm run -s token prints one line, the token', () => {
  const out = execFileSync('npm', ['run', '-s', 'token', '--', '--role', 'analyst'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  expect(out).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const claims = JSON.parse(Buffer.from(out.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  expect(claims.role).toBe('analyst');
});

test('without -s, npm’s banner comes first and the command says how to capture the token alone', () => {
  const r = spawnSync('npm', ['run', 'token', '--', '--role', 'analyst'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  expect(r.stdout).toMatch(/^\n> govgraph@[\d.]+ token\n/);
  expect(r.stderr).toBe(
    'token: to capture only the token, run `npm run -s token -- …` (npm prints a banner otherwise)\n',
  );
});
