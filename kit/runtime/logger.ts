import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger };

/**
 * What a log line must never carry: a request's variables or arguments (they hold citizen IDs, names,
 * addresses) and the parts of a database error that quote row values. Pino removes these paths
 * wherever a line would carry them.
 */
export const REDACTED_PATHS = [
  'variables',
  '*.variables',
  'args',
  '*.args',
  'body',
  '*.body',
  'req.body',
  'payload',
  '*.payload',
  'input',
  '*.input',
];

/** A long digit run (CCCD, phone, tax code) or a quoted value ending a line (a database message's value). */
const VALUES = /\d{9,}|(:[ \t]*)"[^"\n]*"[ \t]*$/gm;

const withoutValues = (text: string): string =>
  text.replace(VALUES, (_, colon?: string) => (colon === undefined ? '[redacted]' : `${colon}"[redacted]"`));

/**
 * The standard error serializer, minus what quotes personal values (PostgreSQL's `detail`, `where`, …).
 * An `err` that is not an object (a loop logging `{ err: err.message }`) is a message: its values go
 * too. (It once reached the `in` below and threw, which ended the process that was only logging.)
 */
function errorWithoutValues(err: unknown): unknown {
  if (typeof err === 'string') return withoutValues(err);
  if (typeof err !== 'object' || err === null) return err;
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  for (const key of ['detail', 'where', 'parameters', 'query', 'hint', 'internalQuery'])
    if (key in out) out[key] = '[redacted]';
  for (const key of ['message', 'stack'] as const)
    if (typeof out[key] === 'string') out[key] = withoutValues(out[key] as string);
  return out;
}

/**
 * One pino logger per process; libraries take it as a parameter and never log to the console.
 * Personal data never reaches it: see `REDACTED_PATHS` and the error serializer.
 */
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: errorWithoutValues },
    },
    destination,
  );
}
