/**
 * "No per-ward queries": the headline scorecard (examples/analyst/01-scorecard.graphql, SCORECARD_QUERY; the query
 * `npm run bench` measures) of a district and all its wards — seven KPIs from the five systems, each
 * with the previous year, the change and the rank among siblings — costs each subgraph the same number
 * of database statements for a district of 13 wards as for one of 7 and for a province of 8
 * subordinates: the current year, the previous year and the siblings' rows are asked in one batch
 * (kit/scorecard/kpi.ts), the siblings and the agency tree come from the catalogue in memory, never one
 * statement per ward or per sibling.
 */
import { SCORECARD_QUERY } from '../schema/examples';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.05 });
}, 240_000);
afterAll(async () => stack?.close());

const BAC_TU_LIEM = '000.00.21.H26'; // 13 wards
const LAP_THACH = '000.00.46.H62'; // 7 communes
const HA_NOI = '000.00.00.H26'; // 8 subordinates at the end of 2024

const KPIS = [
  ['documentStats', 'electronic'],
  ['documentStats', 'signed'],
  ['dossierStats', 'onTime'],
  ['dossierStats', 'online'],
  ['mailStats', 'coverage'],
  ['mailStats', 'regularUse'],
  ['budget', 'execution'],
  ['landStats', 'digitised'],
] as const;

/** Statements per subgraph for one headline scorecard of 2024 with subordinates, and its children's count. */
async function cost(code: string): Promise<{ children: number; trips: Record<string, number> }> {
  const before = new Map([...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips]));
  const r = await stack.gql(
    SCORECARD_QUERY,
    {
      agency: code,
      period: { from: '2024-01-01', to: '2024-12-31' },
      year: 2024,
      asOf: '2024-12-31',
      withSubordinates: true,
    },
    ANALYST,
  );
  expect(r.errors).toBeUndefined();
  const a = r.data.agency;
  // Every system answered every KPI, ranks included, for the agency and every child.
  for (const row of [a, ...a.children])
    for (const [system, kpi] of KPIS) {
      expect(row[system][kpi]).toHaveProperty('previous');
      expect(row[system][kpi].rankOf).toBeGreaterThanOrEqual(row[system][kpi].value === null ? 0 : 1);
    }
  const trips = Object.fromEntries(
    [...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips - before.get(name)!]),
  );
  return { children: a.children.length, trips };
}

test('the headline scorecard of a district of 13 wards, one of 7 and a province of 8: the same statements per subgraph', async () => {
  const btl = await cost(BAC_TU_LIEM);
  const lt = await cost(LAP_THACH);
  const hn = await cost(HA_NOI);
  expect(btl.children).toBe(13);
  expect(lt.children).toBe(7);
  expect(hn.children).toBe(8);
  // Every system is asked (at least one statement each)...
  for (const name of ['documents', 'dossiers', 'mail', 'budgets', 'land'])
    expect(btl.trips[name]).toBeGreaterThan(0);
  // ... independently of the number of wards and siblings: a per-ward (or per-sibling) statement would
  // add 6 between 7 and 13 wards.
  expect(lt.trips).toEqual(btl.trips);
  expect(hn.trips).toEqual(btl.trips);
  // And exactly: one stats statement per period (dossiers: three, the longest stay of a closed dossier
  // read before and after it, subgraphs/dossiers/db/stats.ts), each subgraph asked once — documents for the agency,
  // its children and their stats (the tree from memory), the other four for the agency and its children
  // together (the plan fetches them at two paths; the govgraph engine sends the two as one request,
  // gateway/engine/execute/coalesce.ts) — this year's and last year's rows, siblings included. The ICT
  // inventory (subgraphs/ict), the legacy one-stop-shop connector (subgraphs/legacy-mc) and the
  // partners' webhooks (subgraphs/webhooks) are not in the headline query: they are not asked at all.
  expect(btl.trips).toEqual({
    documents: 2,
    dossiers: 6,
    mail: 2,
    budgets: 2,
    land: 2,
    ict: 0,
    'legacy-mc': 0,
    webhooks: 0,
  });
});
