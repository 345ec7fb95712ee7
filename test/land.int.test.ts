/**
 * Land records through the gateway: a parcel's commune as it was and today's commune come from the
 * documents subgraph (which owns AdministrativeUnit) by key; the land subgraph adds landStats to units.
 */
import { example } from '../schema/examples';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack, TestClaims } from './support/subgraphs';

let stack: FederatedStack;

/** As an analyst unless told otherwise (mutations: an official of the agency concerned). */
const gql = (
  query: string,
  variables: Record<string, unknown> = {},
  as: TestClaims = ANALYST,
): Promise<any> => stack.gql(query, variables, as);

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

/** Parcels of each of Bắc Từ Liêm's 13 wards on 2025-06-30 at the test scale, in the order the API lists them. */
const WARD_PARCELS = [24, 14, 6, 18, 22, 26, 18, 24, 5, 8, 9, 21, 36];

test('an analyst query: land statistics of every ward of Bắc Từ Liêm before the reorganisation', async () => {
  const r = await gql(`{ administrativeUnits(parentId: "021@2014-04-01", asOf: "2025-06-30") { name
    landStats(asOf: "2025-06-30") { parcelCount digitisedRatio byLandUse { code area } } } }`);
  expect(r.errors).toBeUndefined();
  const wards = r.data.administrativeUnits;
  expect(wards).toHaveLength(13);
  expect(wards.map((w: { landStats: { parcelCount: number } }) => w.landStats.parcelCount)).toEqual(
    WARD_PARCELS,
  );
  for (const w of wards) expect(w.landStats.digitisedRatio).toBeGreaterThan(0.5);
});

test('the land examples (examples/, docs/systems/land.md) run through the gateway', async () => {
  const examples = [
    'official/02-parcel-by-identity',
    'analyst/09-land-statistics',
    'analyst/10-parcel-history',
  ].map((name) => example(name).query);
  const [portal, analyst, history] = await Promise.all(examples.map((q) => gql(q)));
  expect(portal.errors).toBeUndefined();
  expect(portal.data.landParcelByIdentity).toMatchObject({
    id: '00598/1/1',
    commune: { name: 'Phường Liên Mạc' },
    currentCommune: { name: 'Phường Thượng Cát' },
  });
  expect(analyst.errors).toBeUndefined();
  expect(analyst.data.administrativeUnits.length).toBe(13); // Bắc Từ Liêm's 13 wards
  expect(
    analyst.data.administrativeUnits.map(
      (w: { landStats: { parcelCount: number } }) => w.landStats.parcelCount,
    ),
  ).toEqual(WARD_PARCELS);
  // The change that is the same at every scale: split in two by a dossier the dossiers subgraph holds.
  expect(history.errors).toBeUndefined();
  const p = history.data.landParcel;
  expect(p.history).toHaveLength(1);
  const [split] = p.history;
  expect(split).toMatchObject({
    kind: 'SPLIT',
    date: p.retiredOn,
    dossier: { code: '000.00.21.H26-240311-0001', procedure: { name: 'Tách thửa hoặc hợp thửa đất' } },
  });
  expect(split.toParcels).toHaveLength(2);
  const tenths = (a: string): number => Math.round(Number(a) * 10);
  expect(tenths(split.toParcels[0].area) + tenths(split.toParcels[1].area)).toBe(tenths(p.area));
  expect(Date.parse(split.dossier.returnedAt)).toBeLessThanOrEqual(
    Date.parse(`${split.date}T23:59:59+07:00`),
  );
});
