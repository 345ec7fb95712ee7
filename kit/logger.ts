import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** One pino logger per process; libraries take it as a parameter and never log to the console. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { service: name } });
}
