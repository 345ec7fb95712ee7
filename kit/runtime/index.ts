/**
 * The subgraph runtime's public surface (re-exported by kit/index.ts): what subgraphs and their tests
 * name. The process runner, configuration, HTTP server, roles and the audit log's internals stay
 * behind it. Add a name here when a subgraph needs it.
 */

// Defining and running a subgraph (define.ts, run.ts, context.ts)
export { defineSubgraph } from './define';
export type { SubgraphModule } from './define';
export { runSubgraphMain } from './run';
export type { BesideSubgraph } from './run';
export type { Caller, RequestContext } from './context';

// Who may read what (access.ts); every write within its jurisdiction and in time (docs/jurisdiction.md)
export { rowCondition } from './access';
export type { RowScope } from './access';
export { actFor } from './jurisdiction';
export type { ActingAgency } from './jurisdiction';
export { requireOfficialsInPost } from './officials';
export {
  requireNotBefore,
  requireNotFutureDate,
  requireNotFutureInstant,
  requireYearNotAfter,
} from './timeRules';

// Personal data (personal-data/) and what a mutation wrote, for its audit entry (auditlog/written.ts)
export type { PersonalDataOwner } from './personal-data/protect';
export { maskName } from './personal-data/masks';
export { auditWritten } from './auditlog/written';

// Storage: the database handle, migrations, tables declared once, bulk loads (db.ts, migrate.ts, table.ts, bulk.ts)
export type { Database, Queryable } from './db';
// A subgraph's own background work on its database (the dossiers' portal sync sender)
export { openDatabase } from './db';
export { createLogger } from './logger';
export { migrate } from './migrate';
export {
  bigint,
  boolean,
  date,
  insertOne,
  insertRows,
  int,
  numeric,
  table,
  text,
  timestamptz,
} from './table';
export type { Column, InsertOf, RowOf } from './table';
export { bulkLoad } from './bulk';

// Reads per request and lists (loaders.ts, pagination.ts)
export { alignMany, manyBy, manyByOn, oneBy, oneByOn } from './loaders';
export { cursorPart, pageWindow, toConnection } from './pagination';
export type { Connection, PageArgs } from './pagination';

// Client-facing errors (codes from schema/error-codes.ts) and input checks
export { AppError, ErrorCode, InvalidValueError, badInput, conflict, notFound } from './errors';
export { parsePeriod, parseText } from './validate';
export { parseIntId, scalarResolvers } from './scalars';

// Background rounds beside the requests (loop.ts): the portal sync sender, the event relay
export { fullJitter, pollingLoop } from './loop';
export type { PollingLoop } from './loop';
