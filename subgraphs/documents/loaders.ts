/** Per-request DataLoaders of the documents subgraph: every list and reference field is batched. */
import type { Database } from '../../kit/db';
import { manyBy, manyByOn, oneBy, oneByOn } from '../../kit/loaders';
import * as repo from './db/repo';
import type { DocumentQuery, StatsQuery } from './db/repo';

export function createLoaders(db: Database) {
  return {
    document: oneBy(
      (ids: readonly number[]) => repo.documentsByIds(db, ids),
      (d) => d.id,
    ),
    agency: oneBy(
      (codes: readonly string[]) => repo.agenciesByCodes(db, codes),
      (a) => a.code,
    ),
    agenciesOfUnit: manyBy(
      (ids: readonly string[]) => repo.agenciesByUnits(db, ids),
      (a) => a.unit_id,
    ),
    /** Keyed by agency code and `asOf` (null = every child ever). */
    agencyChildren: manyByOn(
      (codes, asOf: string | null) => repo.agenciesByParents(db, codes, asOf),
      (a) => a.parent_code,
    ),
    unit: oneBy(
      (ids: readonly string[]) => repo.unitsByIds(db, ids),
      (u) => u.id,
    ),
    /** Keyed `<agency code>|<YYYY-MM-DD>`: the unit the agency governed on that date. */
    unitGovernedOn: oneBy(
      (keys: readonly string[]) => repo.unitsGovernedOn(db, keys),
      (u) => u.pair,
    ),
    unitChildren: manyByOn(
      (ids, asOf: string | null) => repo.unitsByParents(db, ids, asOf),
      (u) => u.parent_id,
    ),
    successionsFrom: manyBy(
      (ids: readonly string[]) => repo.successionsFrom(db, ids),
      (s) => s.from_id,
    ),
    successionsTo: manyBy(
      (ids: readonly string[]) => repo.successionsTo(db, ids),
      (s) => s.to_id,
    ),
    currentUnits: manyByOn(
      (ids, asOf: string) => repo.currentUnits(db, ids, asOf),
      (u) => u.start_id,
    ),
    recipients: manyBy(
      (ids: readonly number[]) => repo.recipientsByDocumentIds(db, ids),
      (r) => r.document_id,
    ),
    assignmentsOfDocument: manyBy(
      (ids: readonly number[]) => repo.assignmentsByDocumentIds(db, ids),
      (a) => a.document_id,
    ),
    assignment: oneBy(
      (ids: readonly number[]) => repo.assignmentsByIds(db, ids),
      (a) => a.id,
    ),
    /** The same page of documents for many agencies: one LATERAL query per distinct page request. */
    agencyDocuments: manyByOn(
      (codes, query: DocumentQuery) => repo.findDocumentsForAgencies(db, codes, query),
      (d) => d.agency_code,
    ),
    /** Document KPIs for many agencies: one query per distinct period. */
    documentStats: oneByOn(
      (codes, q: StatsQuery) => repo.documentStats(db, codes, q),
      (s) => s.agency_code,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
