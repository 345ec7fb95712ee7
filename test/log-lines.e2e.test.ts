/**
 * What `npm start`'s user sees of a child process's log lines (scripts/logLines.ts `childLogOutput`,
 * the path scripts/start.ts takes), run for real: test/fixtures/log-child.ts forks a child that logs
 * through the subgraphs' logger. In a terminal (a pseudo-terminal from util-linux `script`) each line
 * is readable, the level in colour; piped, or in production even in a terminal, the JSON lines pass
 * untouched.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..');
const COMMAND = 'node --import tsx test/fixtures/log-child.ts';

/** The fixture's standard output: in a pseudo-terminal (`script`), or through a pipe. */
function run(terminal: boolean, env: NodeJS.ProcessEnv = {}): string[] {
  const base = { ...process.env };
  delete base.NODE_ENV; // jest sets `test`; the user's shell has none
  const out = terminal
    ? execFileSync('script', ['-qec', COMMAND, '/dev/null'], { cwd: ROOT, env: { ...base, ...env } })
    : execFileSync('sh', ['-c', COMMAND], { cwd: ROOT, env: { ...base, ...env } });
  return out.toString().replace(/\r/g, '').split('\n').filter(Boolean);
}

const time = /^\d\d:\d\d:\d\d /;

test('in a terminal: one readable line per entry, the warning in yellow', () => {
  const lines = run(true);
  expect(lines.map((l) => l.replace(time, 'hh:mm:ss '))).toEqual([
    'hh:mm:ss \x1b[33mWARN \x1b[0m land  subgraph answered slowly  subgraph=land ms=812',
    'hh:mm:ss INFO  land  listening',
  ]);
  expect(lines.every((l) => time.test(l))).toBe(true);
});

test('piped (a log collector): the JSON lines, untouched', () => {
  const entries = run(false).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(entries.map(({ time: t, ...rest }) => [typeof t, rest])).toEqual([
    [
      'number',
      {
        level: 40,
        service: 'land',
        name: 'land',
        subgraph: 'land',
        ms: 812,
        msg: 'subgraph answered slowly',
      },
    ],
    ['number', { level: 30, service: 'land', name: 'land', msg: 'listening' }],
  ]);
});

test('in production, even in a terminal: JSON', () => {
  const entries = run(true, { NODE_ENV: 'production' }).map((l) => JSON.parse(l) as { msg: string });
  expect(entries.map((e) => e.msg)).toEqual(['subgraph answered slowly', 'listening']);
});
