/** Per-request DataLoaders over the catalogue; a subgraph spreads them into its own loaders. */
import type { Database } from '../../runtime/db';
import { manyBy, manyByOn, oneBy, oneByOn } from '../../runtime/loaders';
import { agencyDirectory, peekAgencyDirectory } from './directory';
import * as reads from './reads';

export function createCatalogueLoaders(db: Database) {
  return {
    /** Every agency in memory (read once per process): `now()` without a tick once it was read. */
    directory: { now: () => peekAgencyDirectory(db), get: () => agencyDirectory(db) },
    agency: oneBy(
      (codes: readonly string[]) => reads.agenciesByCodes(db, codes),
      (a) => a.code,
    ),
    /** The people's committees governing a unit. */
    agenciesOfUnit: manyBy(
      (ids: readonly string[]) => reads.agenciesByUnits(db, ids),
      (a) => a.unitId,
    ),
    /** Keyed by agency code and `asOf` (null = every child ever). */
    agencyChildren: manyByOn(
      (codes, asOf: string | null) => reads.agenciesByParents(db, codes, asOf),
      (a) => a.parentCode,
    ),
    unit: oneBy(
      (ids: readonly string[]) => reads.unitsByIds(db, ids),
      (u) => u.id,
    ),
    /** Keyed by statistics-office code and date: the unit with that code valid then. */
    unitByCode: oneByOn(
      (codes, asOf: string) => reads.unitsByCodesOn(db, codes, asOf),
      (u) => u.code,
    ),
    /** Keyed `<agency code>|<YYYY-MM-DD>`: the unit the agency governed on that date. */
    unitGovernedOn: oneBy(
      (keys: readonly string[]) =>
        reads.unitsGovernedOn(
          db,
          keys.map((k) => ({ agencyCode: k.split('|')[0]!, date: k.split('|')[1]! })),
        ),
      (u) => u.pair,
    ),
    unitChildren: manyByOn(
      (ids, asOf: string | null) => reads.unitsByParents(db, ids, asOf),
      (u) => u.parentId,
    ),
    successionsFrom: manyBy(
      (ids: readonly string[]) => reads.successionsFrom(db, ids),
      (s) => s.fromId,
    ),
    successionsTo: manyBy(
      (ids: readonly string[]) => reads.successionsTo(db, ids),
      (s) => s.toId,
    ),
    /** Keyed by unit id and date: the units covering it then, through the succession crosswalk. */
    currentUnits: manyByOn(
      (ids, asOf: string) => reads.currentUnits(db, ids, asOf),
      (u) => u.startId,
    ),
  };
}

export type CatalogueLoaders = ReturnType<typeof createCatalogueLoaders>;
