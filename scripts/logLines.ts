/**
 * `npm start` in a terminal: the processes' pino JSON lines as one readable line each, e.g.
 *
 *   14:02:11 WARN  gateway  subgraph answered slowly  subgraph=land ms=812 reqId=3f…
 *
 * Only when standard output is a terminal and NODE_ENV is not `production`; otherwise the JSON lines
 * pass through untouched (log collectors read them). A dozen lines instead of pino-pretty: the fields
 * are pino's own (`time`, `level`, `service`, `msg`, `err`), and a line that is not JSON passes as is.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
/** pino's bookkeeping, shown elsewhere in the line or not at all. */
const OMIT = new Set(['time', 'level', 'service', 'name', 'msg', 'pid', 'hostname', 'err']);

const value = (v: unknown): string => (typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v));

/** One JSON log line as a readable line; anything else unchanged. */
export function formatLogLine(line: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'number') return line;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '--:--:--';
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const tint = colour ? (COLOURS[entry.level] ?? '') : '';
  const fields = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  const parts = [
    `${time} ${tint}${level}${tint ? '\x1b[0m' : ''} ${String(entry.service ?? entry.name ?? '-')}`,
    String(entry.msg ?? ''),
    ...(fields.length ? [fields.join(' ')] : []),
  ];
  const text = parts.filter((p) => p !== '').join('  ');
  return err?.stack ? `${text}\n${err.stack}` : err?.message ? `${text}  err=${value(err.message)}` : text;
}

/** Whether `npm start` should print readable lines: a terminal, and not production. */
export const readableLogs = (stdout: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean =>
  stdout.isTTY === true && env.NODE_ENV !== 'production';

/** Copies `from`'s lines to `to`, formatted. */
export function pipeReadable(from: Readable, to: Writable, colour: boolean): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
    to.write(`${formatLogLine(line, colour)}\n`);
  });
}

/**
 * How `npm start` connects a child process's standard output: piped through `formatLogLine` (in
 * colour) when `readableLogs`, else inherited, so JSON lines reach the collector untouched.
 */
export function childLogOutput(
  stdout: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv,
): { stdio: 'pipe' | 'inherit'; attach(child: ChildProcess): void } {
  const readable = readableLogs(stdout, env);
  return {
    stdio: readable ? 'pipe' : 'inherit',
    attach: (child) => {
      if (readable && child.stdout) pipeReadable(child.stdout, stdout, true);
    },
  };
}
