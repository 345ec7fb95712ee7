/**
 * Land change history and the one-stop dossiers behind it, through the gateway: the land and dossiers
 * subgraphs are separate services with separate databases, seeded from one plan (kit/synthetic/landChanges.ts).
 * Every change on the planned parcels cites a dossier that exists, concerns that parcel (or one of the
 * merged/split parcels), was resolved and returned on or before the change date, and is listed among
 * the parcel's dossiers; its applicant is the holder the land records name.
 */
import { formatParcelId, maskName } from '../kit';
import { landChangePlan } from '../kit/synthetic';
import { ANALYST, startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

const SCALE = 0.05;
let stack: FederatedStack;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: SCALE });
}, 180_000);

afterAll(async () => stack?.close());

const endOfDayVn = (date: string): number => Date.parse(`${date}T23:59:59+07:00`);

test('every LandChange.dossier of the changed parcels is an existing, finished dossier about that parcel', async () => {
  const plan = landChangePlan(SCALE);
  expect(new Set(plan.map((c) => c.kind))).toEqual(new Set(['TRANSFER', 'CHANGE_OF_USE', 'SPLIT', 'MERGE']));
  const sample = [...new Set(plan.flatMap((c) => [...c.from, ...c.to].map(formatParcelId)))];
  const fields = `id history { kind date fromParcels { id } toParcels { id }
    dossier { code status finishedAt returnedAt procedure { name landRelated } applicant { name }
      parcel { id dossiers(first: 50) { nodes { code } } } } }
    certificates { issueDate holders { fullName } }`;
  const parcels = await Promise.all(
    sample.map(async (id) => {
      // An analyst: land records need land:read, and an analyst sees names masked.
      const r = await stack.gql(`query($id: ID!) { landParcel(id: $id) { ${fields} } }`, { id }, ANALYST);
      expect(r.errors).toBeUndefined();
      return r.data.landParcel;
    }),
  );
  let checked = 0;
  for (const [i, id] of sample.entries()) {
    const parcel = parcels[i];
    expect(parcel.id).toBe(id);
    expect(parcel.history.length).toBeGreaterThan(0);
    for (const change of parcel.history) {
      const d = change.dossier;
      expect(d).not.toBeNull(); // resolves to a Dossier the dossiers subgraph holds
      const involved = [...change.fromParcels, ...change.toParcels].map((p: { id: string }) => p.id);
      expect(involved).toContain(id);
      expect(involved).toContain(d.parcel.id); // the dossier is about this parcel or its merge/split partner
      expect(d.procedure.landRelated).toBe(true);
      expect(d.status).toBe('DA_TRA_KET_QUA'); // resolved and returned…
      expect(Date.parse(d.finishedAt)).toBeLessThanOrEqual(endOfDayVn(change.date)); // …on or before the change
      expect(Date.parse(d.returnedAt)).toBeLessThanOrEqual(endOfDayVn(change.date));
      // …and the parcel the dossier names lists it among its dossiers.
      expect(d.parcel.dossiers.nodes.map((n: { code: string }) => n.code)).toContain(d.code);
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(plan.length);

  // The same person in both systems: a transfer's new holder is the dossier's applicant (both masked).
  const transfer = plan.find((c) => c.kind === 'TRANSFER')!;
  const parcel = parcels[sample.indexOf(formatParcelId(transfer.from[0]!))];
  const change = parcel.history.find((h: { kind: string }) => h.kind === 'TRANSFER');
  expect(change.dossier.applicant.name).toBe(maskName(transfer.dossier.applicant.fullName));
  expect(parcel.certificates[0]).toEqual({
    issueDate: transfer.date,
    holders: [{ fullName: change.dossier.applicant.name }],
  });
  expect(JSON.stringify(parcels)).not.toContain(transfer.dossier.applicant.fullName);
});

test('the procedure matches the change, and a split or merge names its new parcels', async () => {
  const plan = landChangePlan(SCALE);
  const split = plan.find((c) => c.kind === 'SPLIT')!;
  const merge = plan.find((c) => c.kind === 'MERGE')!;
  const q = (id: string) =>
    `landParcel(id: "${id}") { retiredOn area history { kind toParcels { id area retiredOn } dossier { code procedure { name } } } }`;
  const r = await stack.gql(
    `{ split: ${q(formatParcelId(split.from[0]!))} merge: ${q(formatParcelId(merge.from[1]!))} }`,
    {},
    ANALYST,
  );
  expect(r.errors).toBeUndefined();
  const tenths = (a: string): number => Math.round(Number(a) * 10);
  for (const [got, want] of [
    [r.data.split, split],
    [r.data.merge, merge],
  ] as const) {
    expect(got.retiredOn).toBe(want.date);
    const [h] = got.history;
    expect(h.kind).toBe(want.kind);
    expect(h.dossier).toEqual({
      code: want.dossier.code,
      procedure: { name: 'Tách thửa hoặc hợp thửa đất' },
    });
    expect(h.toParcels.map((p: { id: string }) => p.id)).toEqual(want.to.map(formatParcelId));
    for (const p of h.toParcels) expect(p.retiredOn).toBeNull();
  }
  const parts = r.data.split.history[0].toParcels.reduce(
    (t: number, p: { area: string }) => t + tenths(p.area),
    0,
  );
  expect(parts).toBe(tenths(r.data.split.area)); // the split's parts add up to the source exactly
});
