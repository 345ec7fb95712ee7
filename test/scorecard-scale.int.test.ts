/**
 * "No per-ward queries": the scorecard of a district and all its wards across the five systems
 * (scripts/district-scorecard.ts, the query `npm run bench` measures) costs each subgraph the same
 * number of database round trips for a district of 13 wards as for one of 7 and for a province of 8
 * subordinates — one batched statement per kind of figure, never one per ward.
 */
import { DISTRICT_SCORECARD, districtScorecardVariables } from '../scripts/district-scorecard';
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

/** Round trips per subgraph for one scorecard, and its children's count. */
async function cost(code: string): Promise<{ children: number; trips: Record<string, number> }> {
  const before = new Map([...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips]));
  const r = await stack.gql(DISTRICT_SCORECARD, districtScorecardVariables(code, 2024), ANALYST);
  expect(r.errors).toBeUndefined();
  const a = r.data.agency;
  // Every system answered for every child.
  for (const c of a.children) {
    expect(c.documentStats).toHaveProperty('electronicRatio');
    expect(c.dossierStats).toHaveProperty('onTimeRatio');
    expect(c.mailStats).toHaveProperty('mailboxCoverage');
    expect(c.budget).toHaveProperty('executionRate');
  }
  const trips = Object.fromEntries(
    [...stack.subgraphs].map(([name, s]) => [name, s.db.roundTrips - before.get(name)!]),
  );
  return { children: a.children.length, trips };
}

test('a district of 13 wards, one of 7 and a province of 8: the same round trips per subgraph', async () => {
  const btl = await cost(BAC_TU_LIEM);
  const lt = await cost(LAP_THACH);
  const hn = await cost(HA_NOI);
  expect(btl.children).toBe(13);
  expect(lt.children).toBe(7);
  expect(hn.children).toBe(8);
  // Each of the four Agency systems is asked (at least one statement each) ...
  for (const name of ['documents', 'dossiers', 'mail', 'budgets']) expect(btl.trips[name]).toBeGreaterThan(0);
  // ... and land for the wards' units.
  expect(btl.trips.land).toBeGreaterThan(0);
  // Independent of the number of wards: a per-ward query would add 6 statements between 7 and 13 wards.
  expect(lt.trips).toEqual(btl.trips);
  expect(hn.trips).toEqual(btl.trips);
  // And small (measured: documents 7 — the agency, its children, their units and the district's own,
  // total and wards' stats —, dossiers, budgets and mail 3, land 2).
  for (const n of Object.values(btl.trips)) expect(n).toBeLessThanOrEqual(8);
});
