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

/** The standard error serializer, minus what quotes personal values (PostgreSQL's `detail`, `where`, …). */
function errorWithoutValues(err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of ['detail', 'where', 'parameters', 'query', 'hint', 'internalQuery'])
    if (key in out) out[key] = '[redacted]';
  for (const key of ['message', 'stack'] as const)
    if (typeof out[key] === 'string')
      out[key] = (out[key] as string).replace(VALUES, (_, colon?: string) =>
        colon === undefined ? '[redacted]' : `${colon}"[redacted]"`,
      );
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
