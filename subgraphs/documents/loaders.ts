/** Per-request DataLoaders of the documents subgraph (the catalogue's and its own): every list and reference field is batched. */
import { createCatalogueLoaders, manyBy, manyByOn, oneBy, oneByOn } from '../../kit';
import type { Database, RowScope } from '../../kit';
import * as reads from './db/documents';
import type { DocumentQuery } from './db/query';
import { documentStats } from './db/stats';
import type { StatsQuery } from './db/stats';

export function createLoaders(db: Database) {
  return {
    ...createCatalogueLoaders(db),
    document: oneBy(
      (ids: readonly number[]) => reads.documentsByIds(db, ids),
      (d) => d.id,
    ),
    recipients: manyBy(
      (ids: readonly number[]) => reads.recipientsByDocumentIds(db, ids),
      (r) => r.documentId,
    ),
    attachments: manyBy(
      (ids: readonly number[]) => reads.attachmentsByDocumentIds(db, ids),
      (a) => a.documentId,
    ),
    traces: manyBy(
      (ids: readonly number[]) => reads.tracesByDocumentIds(db, ids),
      (t) => t.documentId,
    ),
    assignmentsOfDocument: manyBy(
      (ids: readonly number[]) => reads.assignmentsByDocumentIds(db, ids),
      (a) => a.documentId,
    ),
    assignment: oneBy(
      (ids: readonly number[]) => reads.assignmentsByIds(db, ids),
      (a) => a.id,
    ),
    /** The same page of documents for many agencies: one LATERAL query per distinct page request. */
    agencyDocuments: manyByOn(
      (codes, query: DocumentQuery) => reads.findDocumentsForAgencies(db, codes, query),
      (d) => d.agencyCode,
    ),
    /** The documents many officials signed: one query per distinct page size. */
    documentsSigned: manyByOn(
      (ids, q: { limit: number; scope: RowScope }) => reads.documentsSignedBy(db, ids, q),
      (d) => d.signerOfficialId,
    ),
    /** Document KPIs for many agencies: one query per distinct period. */
    documentStats: oneByOn(
      (codes, q: StatsQuery) => documentStats(db, codes, q),
      (s) => s.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
