/**
 * Scorecard KPIs — the shared SDL's `Kpi` value type (kit/sdl/shared.graphql). Every subgraph that
 * contributes a ratio to `Agency` exposes it as a `Kpi`: the ratio with its numerator and denominator,
 * its value in the previous period (and the change), and the agency's rank among its siblings for the
 * same period. The previous period and the siblings are read through the subgraph's OWN batched stats
 * loader (one more key per agency, not one more query per agency), so a scorecard of a district and all
 * its wards costs each subgraph a constant number of round trips.
 *
 * - previous period: the same length just before — whole calendar months shift by their number of
 *   months (a year → the year before), any other period by its number of days;
 * - siblings: the agencies of the same level under the same parent, valid on the period's last day
 *   (the agency itself always counts); rank 1 = the highest value (competition ranking: ties share a
 *   rank), `rankOf` = how many of them have a value. Higher is better for every KPI of the scorecard.
 */
import type { CatalogueLoaders } from './catalogue/loaders';
import { addDays } from './calendar/date';

/** A ratio as the stats SQL computes it, with the counts it is made of (null where they are not counts). */
export interface KpiParts {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/** The agency's place among its siblings. */
export interface KpiStanding {
  rank: number | null;
  rankOf: number;
}

/** What the GraphQL `Kpi` type resolves from (codegen maps `Kpi` to it; `kpiResolvers` reads it). */
export interface KpiSource extends KpiParts {
  previousParts(): Promise<KpiParts | null>;
  standing(): Promise<KpiStanding>;
}

/** An inclusive period of days, `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

const monthIndex = (d: string): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
const firstOfMonth = (i: number): string =>
  `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}-01`;

/** The period of the same length just before `p` (see the module comment). */
export function previousPeriod(p: Period): Period {
  const wholeMonths = p.from.endsWith('-01') && addDays(p.to, 1).endsWith('-01');
  if (wholeMonths) {
    const months = monthIndex(p.to) - monthIndex(p.from) + 1;
    return {
      from: firstOfMonth(monthIndex(p.from) - months),
      to: addDays(p.from, -1),
    };
  }
  const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
  return { from: addDays(p.from, -days), to: addDays(p.from, -1) };
}

/** How a subgraph's stats are loaded for another agency or argument (its batched stats loader). */
export interface KpiScope<A, R> {
  /** The agency the row belongs to. */
  code: string;
  /** The stats loader's argument for this row, and for the previous period. */
  arg: A;
  previousArg: A;
  /** Siblings are taken on this day (the period's last day). */
  asOf: string;
  catalogue: Pick<CatalogueLoaders, 'agency' | 'agencyChildren'>;
  /** The subgraph's stats loader (batched; null when the agency has no row). */
  load(code: string, arg: A): Promise<R | null>;
}

/** Codes of the agency's siblings on `asOf` (same parent, same level), itself included. */
async function siblingCodes(
  catalogue: KpiScope<unknown, unknown>['catalogue'],
  code: string,
  asOf: string,
): Promise<string[]> {
  const self = await catalogue.agency.load(code);
  if (!self?.parentCode) return [code];
  const children = await catalogue.agencyChildren.load({ id: self.parentCode, arg: asOf });
  const same = children.filter((c) => c.level === self.level).map((c) => c.code);
  return same.includes(code) ? same : [...same, code];
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/**
 * The KPIs of one stats row: `kpiSet(row, scope)(measure)` is a `KpiSource` for the ratio `measure`
 * picks from a row. The previous-period row and the siblings' rows are loaded once per row, on first
 * use, and shared by all its KPIs.
 */
export function kpiSet<A, R>(row: R, scope: KpiScope<A, R>): (measure: (r: R) => KpiParts) => KpiSource {
  const previousRow = memo(() => scope.load(scope.code, scope.previousArg));
  const peerRows = memo(async () => {
    const codes = await siblingCodes(scope.catalogue, scope.code, scope.asOf);
    return Promise.all(codes.map((c) => (c === scope.code ? row : scope.load(c, scope.arg))));
  });
  return (measure) => {
    const own = measure(row);
    return {
      ...own,
      previousParts: async () => {
        const prev = await previousRow();
        return prev ? measure(prev) : null;
      },
      standing: async () => {
        const values = (await peerRows())
          .map((r) => (r ? measure(r).value : null))
          .filter((v): v is number => v !== null);
        const rank = own.value === null ? null : 1 + values.filter((v) => v > own.value!).length;
        return { rank, rankOf: values.length };
      },
    };
  };
}

/** Resolvers of the shared `Kpi` type; spread into a subgraph's resolver map next to `scalarResolvers`. */
export const kpiResolvers = {
  Kpi: {
    previous: async (k: KpiSource) => (await k.previousParts())?.value ?? null,
    change: async (k: KpiSource) => {
      const prev = (await k.previousParts())?.value ?? null;
      return k.value === null || prev === null ? null : round4(k.value - prev);
    },
    rank: async (k: KpiSource) => (await k.standing()).rank,
    rankOf: async (k: KpiSource) => (await k.standing()).rankOf,
  },
};
