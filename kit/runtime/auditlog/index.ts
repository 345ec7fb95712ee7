/**
 * The audit log (issue 7), mounted by the kit into every subgraph's database and schema: every read of
 * personal data and every mutation, append-only and hash-chained (docs/security.md "Audit log").
 *
 * - storage: `auditLogModule` (migrations/), appended by store.ts, chain verified by chain.ts;
 * - reads: reads.ts (the request's disclosures, written before the response leaves);
 * - mutations: mutations.ts (each Mutation resolver in one transaction with its entry);
 * - the graph: graphql.ts (`<name>AuditLog`, `<name>AuditChain`, admin only).
 */
import path from 'node:path';
import type { DatabaseModule } from '../migrate';

export const auditLogModule: DatabaseModule = {
  namespace: 'audit',
  migrationsDir: path.join(__dirname, 'migrations'),
};

export { GENESIS_HASH, canonicalEntry, entryHash, verifyChain } from './chain';
export type { AuditEntryRow, ChainAnchor, ChainReport } from './chain';
export { appendAuditEntries, createAuditAppender, insertEntries, listAuditEntries } from './store';
export type { AuditActor, AuditAppender, AuditLogFilter, NewAuditEntry } from './store';
export { auditMutations } from './mutations';
export { auditWritten, HIDDEN, maskedArguments } from './written';
export { readEntries, recordReads, recordReadsBeforeResponse, rootFields } from './reads';
export { auditFieldNames, auditQuerySdl, auditResolvers } from './graphql';
