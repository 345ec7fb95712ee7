/**
 * An embedded PostgreSQL server for `npm start`, the test set-up and the tools that reach it
 * (server.ts: start and stop; cluster.ts: the cluster on disk; auth.ts: its passwords).
 */
export { startEmbeddedPostgres } from './server';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './server';
export { embeddedAdminUrl, embeddedDatabaseName, embeddedServerRunning, runningServerPort } from './cluster';
