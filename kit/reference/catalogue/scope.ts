/**
 * The scope of a per-agency statistics statement: which agencies' rows count for each agency asked
 * (the "root") — the root alone, or the root and every agency under it (`includeSubordinates`).
 * Worked out from the catalogue in memory (kit/reference/catalogue/directory.ts) and sent as two arrays, so the
 * database knows exactly how many (root, member) pairs it joins: with the subtree computed in SQL its
 * row estimate (hundreds per root) made the planner read a whole year of a large table instead of
 * a few index ranges.
 */
import type { Queryable } from '../../runtime/db';
import { agencyDirectory, subtreeCodes } from './directory';

/** (root, member) pairs, as two parallel arrays for `scopeCte`. */
export interface AgencyScope {
  roots: string[];
  codes: string[];
}

/**
 * The pairs of `roots`: each root with itself, or with its subtree valid on `on` (null = every agency
 * under it, past and present) when `includeSubordinates` — an unknown root then has no member.
 */
export async function agencyScope(
  db: Queryable,
  roots: readonly string[],
  includeSubordinates: boolean,
  on: string | null = null,
): Promise<AgencyScope> {
  if (!includeSubordinates) return { roots: [...roots], codes: [...roots] };
  const dir = await agencyDirectory(db);
  const scope: AgencyScope = { roots: [], codes: [] };
  for (const root of new Set(roots))
    for (const code of subtreeCodes(dir, root, on)) {
      scope.roots.push(root);
      scope.codes.push(code);
    }
  return scope;
}

/** SQL of the `scope(root, code)` CTE over the two `text[]` parameters (e.g. `$1`, `$2`) of an `AgencyScope`. */
export const scopeCte = (roots: string, codes: string): string =>
  `scope(root, code) AS (SELECT s.root, s.code FROM unnest(${roots}::text[], ${codes}::text[]) AS s(root, code))`;
