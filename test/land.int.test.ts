/**
 * Land records through the gateway: a parcel's commune as it was and today's commune come from the
 * documents subgraph (which owns AdministrativeUnit) by key; the land subgraph adds landStats to units.
 */
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

let stack: FederatedStack;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as any;
}

beforeAll(async () => {
  stack = await startFederatedStack();
}, 120_000);

afterAll(async () => stack?.close());

test('a parcel of old ward Liên Mạc lies in today’s Phường Thượng Cát, through the succession crosswalk', async () => {
  const r =
    await gql(`{ landParcel(id: "00598/1/1") { id commune { name validTo } currentCommune { name validFrom }
    certificates { issuingAgency { name } holders { fullName idNumber } } } }`);
  expect(r.errors).toBeUndefined();
  const p = r.data.landParcel;
  expect(p.commune).toEqual({ name: 'Phường Liên Mạc', validTo: '2025-06-30' });
  expect(p.currentCommune).toEqual({ name: 'Phường Thượng Cát', validFrom: '2025-07-01' });
  for (const c of p.certificates) for (const h of c.holders) expect(h.idNumber).toMatch(/^\*+\d{3}$/);
});

test('an analyst query: land statistics of every ward of Bắc Từ Liêm before the reorganisation', async () => {
  const r = await gql(`{ administrativeUnits(parentId: "021@2014-04-01", asOf: "2025-06-30") { name
    landStats(asOf: "2025-06-30") { parcelCount digitisedRatio byLandUse { code area } } } }`);
  expect(r.errors).toBeUndefined();
  const wards = r.data.administrativeUnits;
  expect(wards).toHaveLength(13);
  for (const w of wards) {
    expect(w.landStats.parcelCount).toBeGreaterThan(0);
    expect(w.landStats.digitisedRatio).toBeGreaterThan(0.5);
  }
});
