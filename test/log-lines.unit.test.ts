/**
 * `npm start`'s terminal output (scripts/logLines.ts): pino JSON lines become one readable line each
 * in a terminal, JSON stays JSON when the output is not a terminal or in production.
 */
import { formatLogLine, readableLogs } from '../scripts/logLines';

const time = new Date(2026, 11, 5, 14, 2, 11).getTime();

test('a JSON line becomes time, level, service, message and the other fields', () => {
  const line = JSON.stringify({
    level: 40,
    time,
    pid: 1,
    hostname: 'h',
    service: 'gateway',
    msg: 'slow subgraph',
    subgraph: 'land',
    ms: 812,
    path: 'a b',
  });
  expect(formatLogLine(line)).toBe('14:02:11 WARN  gateway  slow subgraph  subgraph=land ms=812 path="a b"');
  expect(formatLogLine(line, true)).toBe(
    '14:02:11 \x1b[33mWARN \x1b[0m gateway  slow subgraph  subgraph=land ms=812 path="a b"',
  );
});

test('an error shows its stack under the line; a line that is not a log entry passes unchanged', () => {
  const line = JSON.stringify({
    level: 50,
    time,
    service: 'land',
    msg: 'query failed',
    err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
  });
  expect(formatLogLine(line)).toBe('14:02:11 ERROR land  query failed\nError: boom\n    at x');
  expect(formatLogLine('govgraph: gateway http://127.0.0.1:4000/graphql')).toBe(
    'govgraph: gateway http://127.0.0.1:4000/graphql',
  );
  expect(formatLogLine('[1,2]')).toBe('[1,2]');
});

test('readable only in a terminal and not in production', () => {
  expect(readableLogs({ isTTY: true }, {})).toBe(true);
  expect(readableLogs({ isTTY: true }, { NODE_ENV: 'production' })).toBe(false);
  expect(readableLogs({ isTTY: undefined }, {})).toBe(false);
});
