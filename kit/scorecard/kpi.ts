/**
 * Scorecard KPIs — the shared SDL's `Kpi` value type (kit/runtime/sdl/shared.graphql). Every subgraph that
 * contributes a ratio to `Agency` exposes it as a `Kpi`: the ratio with its numerator and denominator,
 * its value in the previous period (and the change), and the agency's rank among its siblings for the
 * same period. The previous period and the siblings are read through the subgraph's OWN batched stats
 * loader, scheduled in the same tick as the agency's own row when the selection asks for them
 * (`kpiNeeds`, GraphQL lookahead) and the siblings taken from the catalogue in memory: a scorecard of a
 * district and all its wards costs each subgraph one batch of stats — one round of statements.
 *
 * - previous period: the same length just before — whole calendar months shift by their number of
 *   months (a year → the year before), any other period by its number of days;
 * - siblings: the agencies of the same level under the same parent, valid on the period's last day
 *   (the agency itself always counts); rank 1 = the highest value (competition ranking: ties share a
 *   rank), `rankOf` = how many of them have a value. Higher is better for every KPI of the scorecard.
 * - count KPIs (`KpiSource.growth`, e.g. documents sent electronically): the value is a count, the
 *   previous period is the same period a year before (`yearBefore`: the report compares the first nine
 *   months with the same nine months), and `change` is the relative growth (value − previous) ÷ previous.
 */
import { getNamedType, isObjectType, Kind } from 'graphql';
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { addDays } from '../reference/calendar/date';
import { siblingCodes } from '../reference/catalogue/directory';
import type { CatalogueLoaders } from '../reference/catalogue/loaders';

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
  /** A count KPI: `change` is the relative growth against `previous` rather than the difference. */
  growth?: boolean;
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

/** The same period a year earlier (29 February → 28 February). */
export function yearBefore(p: Period): Period {
  const shift = (d: string): string => {
    const y = String(Number(d.slice(0, 4)) - 1).padStart(4, '0');
    const md = d.slice(5) === '02-29' ? '02-28' : d.slice(5);
    return `${y}-${md}`;
  };
  return { from: shift(p.from), to: shift(p.to) };
}

/**
 * The arguments of a stats loader keyed by a period and other arguments (`{ from, to, ...rest }`):
 * this period's, the previous period's with the same other arguments, and the day siblings are taken
 * on — the period-dependent part of a `KpiScope`.
 */
export function periodKpiArgs<X extends object>(
  period: Period,
  rest: X,
): { arg: Period & X; previousArg: Period & X; asOf: string } {
  return {
    arg: { ...period, ...rest },
    previousArg: { ...previousPeriod(period), ...rest },
    asOf: period.to,
  };
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
  /** The catalogue's agencies in memory (kit/reference/catalogue/directory.ts). */
  catalogue: Pick<CatalogueLoaders, 'directory'>;
  /** The subgraph's stats loader (batched; null when the agency has no row). */
  load(code: string, arg: A): Promise<R | null>;
}

/** Which parts of its KPIs a stats field's selection asks for (`kpiNeeds`). */
export interface KpiNeeds {
  /** `previous` or `change`: the previous period's row. */
  previous: boolean;
  /** `rank` or `rankOf`: the siblings' rows. */
  siblings: boolean;
}

/** Codes of the agency's siblings on `asOf`, itself included: at once when the directory is in memory. */
function peers(scope: KpiScope<unknown, unknown>): string[] | Promise<string[]> {
  const dir = scope.catalogue.directory.now();
  if (dir) return siblingCodes(dir, scope.code, scope.asOf);
  return scope.catalogue.directory.get().then((d) => siblingCodes(d, scope.code, scope.asOf));
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/** A promise started ahead of use: a rejection nobody awaited yet must not crash the process. */
function early<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** What `loadKpiSet` resolves to: the agency's own row, and its KPIs (null row = unknown agency). */
export interface KpiRow<R> {
  row: R | null;
  kpi: (measure: (r: R) => KpiParts) => KpiSource;
}

/**
 * The agency's stats row and its KPIs, every row they need asked of the stats loader in the SAME tick:
 * the agency's own, the previous period's (when `needs.previous`) and its siblings' (when
 * `needs.siblings`), so the loader answers them in one batch — one round of statements per request,
 * whatever the number of agencies. `kpi(measure)` is a `KpiSource` for the ratio `measure` picks from a
 * row; the previous row and the siblings' rows are shared by all KPIs of the row (and still loaded on
 * first use if the selection did not announce them).
 */
export async function loadKpiSet<A, R>(scope: KpiScope<A, R>, needs: KpiNeeds): Promise<KpiRow<R>> {
  const own = scope.load(scope.code, scope.arg);
  const loadPeers = (codes: string[]): Promise<(R | null)[]> =>
    Promise.all(codes.map((c) => (c === scope.code ? own : scope.load(c, scope.arg))));
  const startPeers = (): Promise<(R | null)[]> => {
    const codes = peers(scope as KpiScope<unknown, unknown>);
    return Array.isArray(codes) ? loadPeers(codes) : codes.then(loadPeers);
  };
  const previousEarly = needs.previous ? early(scope.load(scope.code, scope.previousArg)) : null;
  const peersEarly = needs.siblings ? early(startPeers()) : null;
  const row = await own;
  const previousRow = memo(() => previousEarly ?? scope.load(scope.code, scope.previousArg));
  const peerRows = memo(() => peersEarly ?? startPeers());
  const kpi = (measure: (r: R) => KpiParts): KpiSource => {
    const mine = row ? measure(row) : { value: null, numerator: null, denominator: null };
    return {
      ...mine,
      previousParts: async () => {
        const prev = await previousRow();
        return prev ? measure(prev) : null;
      },
      standing: async () => {
        const values = (await peerRows())
          .map((r) => (r ? measure(r).value : null))
          .filter((v): v is number => v !== null);
        const rank = mine.value === null ? null : 1 + values.filter((v) => v > mine.value!).length;
        return { rank, rankOf: values.length };
      },
    };
  };
  return { row, kpi };
}

const KPI_FIELDS = {
  previous: 'previous',
  change: 'previous',
  rank: 'siblings',
  rankOf: 'siblings',
} as const;

/**
 * GraphQL lookahead for a stats field: whether any `Kpi` in its selection (fragments included) asks for
 * the previous period or a rank. Conservative: a field under @skip/@include counts as asked.
 */
export function kpiNeeds(info: GraphQLResolveInfo): KpiNeeds {
  const needs: KpiNeeds = { previous: false, siblings: false };
  const parent = getNamedType(info.returnType);
  if (!isObjectType(parent)) return needs;
  const fields = parent.getFields();
  const each = (set: SelectionSetNode | undefined, visit: (f: FieldNode) => void): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) visit(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) each(s.selectionSet, visit);
      else each(info.fragments[s.name.value]?.selectionSet, visit);
    }
  };
  for (const node of info.fieldNodes)
    each(node.selectionSet, (f) => {
      const def = fields[f.name.value];
      if (!def || getNamedType(def.type).name !== 'Kpi') return;
      each(f.selectionSet, (k) => {
        const need = KPI_FIELDS[k.name.value as keyof typeof KPI_FIELDS];
        if (need) needs[need] = true;
      });
    });
  return needs;
}

/** Resolvers of the shared `Kpi` type; spread into a subgraph's resolver map next to `scalarResolvers`. */
export const kpiResolvers = {
  Kpi: {
    previous: async (k: KpiSource) => (await k.previousParts())?.value ?? null,
    change: async (k: KpiSource) => {
      const prev = (await k.previousParts())?.value ?? null;
      if (k.value === null || prev === null) return null;
      if (k.growth) return prev === 0 ? null : round4((k.value - prev) / prev);
      return round4(k.value - prev);
    },
    rank: async (k: KpiSource) => (await k.standing()).rank,
    rankOf: async (k: KpiSource) => (await k.standing()).rankOf,
  },
};
