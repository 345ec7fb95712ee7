/** Per-request DataLoaders of the documents subgraph: every list and reference field is batched. */
import type { Database } from '../../kit/db';
import { alignMany, alignOne, groupedLoader, loader } from '../../kit/loaders';
import * as repo from './db/repo';
import type { DocumentQuery, StatsQuery } from './db/repo';
import type { DocumentRow } from './db/rows';

export function createLoaders(db: Database) {
  return {
    document: loader((ids: readonly number[]) =>
      repo.documentsByIds(db, ids).then((r) => alignOne(ids, r, (d) => d.id)),
    ),
    agency: loader((codes: readonly string[]) =>
      repo.agenciesByCodes(db, codes).then((r) => alignOne(codes, r, (a) => a.code)),
    ),
    agenciesOfUnit: loader((ids: readonly string[]) =>
      repo.agenciesByUnits(db, ids).then((r) => alignMany(ids, r, (a) => a.unit_id)),
    ),
    agencyChildren: groupedLoader(
      (k: { code: string; asOf: string | null }) => k.asOf ?? '',
      (k) => k.code,
      (keys) =>
        repo
          .agenciesByParents(
            db,
            keys.map((k) => k.code),
            keys[0]!.asOf,
          )
          .then((r) =>
            alignMany(
              keys.map((k) => k.code),
              r,
              (a) => a.parent_code,
            ),
          ),
    ),
    unit: loader((ids: readonly string[]) =>
      repo.unitsByIds(db, ids).then((r) => alignOne(ids, r, (u) => u.id)),
    ),
    unitChildren: groupedLoader(
      (k: { id: string; asOf: string | null }) => k.asOf ?? '',
      (k) => k.id,
      (keys) =>
        repo
          .unitsByParents(
            db,
            keys.map((k) => k.id),
            keys[0]!.asOf,
          )
          .then((r) =>
            alignMany(
              keys.map((k) => k.id),
              r,
              (u) => u.parent_id,
            ),
          ),
    ),
    successionsFrom: loader((ids: readonly string[]) =>
      repo.successionsFrom(db, ids).then((r) => alignMany(ids, r, (s) => s.from_id)),
    ),
    successionsTo: loader((ids: readonly string[]) =>
      repo.successionsTo(db, ids).then((r) => alignMany(ids, r, (s) => s.to_id)),
    ),
    currentUnits: groupedLoader(
      (k: { id: string; asOf: string }) => k.asOf,
      (k) => k.id,
      (keys) =>
        repo
          .currentUnits(
            db,
            keys.map((k) => k.id),
            keys[0]!.asOf,
          )
          .then((r) =>
            alignMany(
              keys.map((k) => k.id),
              r,
              (u) => u.start_id,
            ),
          ),
    ),
    recipients: loader((ids: readonly number[]) =>
      repo.recipientsByDocumentIds(db, ids).then((r) => alignMany(ids, r, (x) => x.document_id)),
    ),
    assignmentsOfDocument: loader((ids: readonly number[]) =>
      repo.assignmentsByDocumentIds(db, ids).then((r) => alignMany(ids, r, (x) => x.document_id)),
    ),
    assignment: loader((ids: readonly number[]) =>
      repo.assignmentsByIds(db, ids).then((r) => alignOne(ids, r, (x) => x.id)),
    ),
    /** The same page of documents for many agencies: one LATERAL query per distinct page request. */
    agencyDocuments: groupedLoader(
      (k: { code: string; query: DocumentQuery }) => JSON.stringify(k.query),
      (k) => k.code,
      (keys): Promise<DocumentRow[][]> => {
        const codes = keys.map((k) => k.code);
        return repo
          .findDocumentsForAgencies(db, codes, keys[0]!.query)
          .then((r) => alignMany(codes, r, (d) => d.agency_code));
      },
    ),
    documentStats: groupedLoader(
      (k: { code: string; q: StatsQuery }) => JSON.stringify(k.q),
      (k) => k.code,
      (keys) => {
        const codes = keys.map((k) => k.code);
        return repo
          .documentStats(db, codes, keys[0]!.q)
          .then((r) => alignOne(codes, r, (s) => s.agency_code));
      },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
