/**
 * The catalogue's agencies held in memory, once per database and process. The catalogue is reference
 * data: seeded whole (in one transaction) into an empty database and never written while a subgraph
 * runs, so after the first read of a non-empty table every lookup of an agency, its children or its
 * siblings is answered without a round trip — which lets the scorecard schedule its siblings' stats in
 * the same batch as the agency's own (kit/scorecard/kpi.ts). An empty table (a database not seeded yet) is not
 * kept: the next call reads it again.
 */
import type { Queryable } from '../../runtime/db';
import { agencies } from './tables';
import type { AgencyRow } from './tables';
import { existsOn } from './validity';

export interface AgencyDirectory {
  byCode: ReadonlyMap<string, AgencyRow>;
  /** Every child ever of each agency, by code. */
  childrenOf: ReadonlyMap<string, readonly AgencyRow[]>;
}

const cache = new WeakMap<Queryable, { ready?: AgencyDirectory; loading?: Promise<AgencyDirectory> }>();

async function read(db: Queryable): Promise<AgencyDirectory> {
  // Frozen: the same objects answer every request of the process.
  const rows = (
    await db.query<AgencyRow>(`SELECT ${agencies.select('a')} FROM agencies a ORDER BY a.code`)
  ).map((a) => Object.freeze(a));
  const byCode = new Map(rows.map((a) => [a.code, a]));
  const childrenOf = new Map<string, AgencyRow[]>();
  for (const a of rows) {
    if (!a.parentCode) continue;
    const list = childrenOf.get(a.parentCode);
    if (list) list.push(a);
    else childrenOf.set(a.parentCode, [a]);
  }
  return { byCode, childrenOf };
}

/** The directory if it was read already (synchronous: no round trip, no tick). */
export function peekAgencyDirectory(db: Queryable): AgencyDirectory | undefined {
  return cache.get(db)?.ready;
}

/** The directory, read on first use (one statement per process while the catalogue holds rows). */
export function agencyDirectory(db: Queryable): Promise<AgencyDirectory> {
  const entry = cache.get(db) ?? {};
  cache.set(db, entry);
  if (entry.ready) return Promise.resolve(entry.ready);
  entry.loading ??= read(db).then(
    (dir) => {
      if (dir.byCode.size > 0) entry.ready = dir;
      entry.loading = undefined;
      return dir;
    },
    (err: unknown) => {
      entry.loading = undefined;
      throw err;
    },
  );
  return entry.loading;
}

/** Children of `code` valid on `asOf` (null = every child ever), by code — as `agenciesByParents`. */
export function childrenOn(dir: AgencyDirectory, code: string, asOf: string | null): AgencyRow[] {
  const all = dir.childrenOf.get(code) ?? [];
  return asOf === null ? [...all] : all.filter((a) => existsOn(a, asOf));
}

/**
 * Codes of the agency's siblings on `asOf`: the agencies of its level under its parent valid that day,
 * itself always included (alone when it has no parent or is unknown).
 */
export function siblingCodes(dir: AgencyDirectory, code: string, asOf: string): string[] {
  const self = dir.byCode.get(code);
  if (!self?.parentCode) return [code];
  const same = childrenOn(dir, self.parentCode, asOf)
    .filter((c) => c.level === self.level)
    .map((c) => c.code);
  return same.includes(code) ? same : [...same, code];
}

/**
 * `root` and its descendants valid on `on` (null = every descendant, past and present), root first —
 * the catalogue's `catalogue_agency_subtree(root, on)` answered from memory. Empty for an unknown root.
 */
export function subtreeCodes(dir: AgencyDirectory, root: string, on: string | null): string[] {
  if (!dir.byCode.has(root)) return [];
  const out = [root];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++)
    for (const c of childrenOn(dir, out[i]!, on))
      if (!seen.has(c.code)) {
        seen.add(c.code);
        out.push(c.code);
      }
  return out;
}
