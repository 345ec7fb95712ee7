/**
 * The land subgraph's writes (registerLandChange), part of its data suite (data-suite.ts), on the same
 * seeded database: split, merge, transfer and change of use as the user sees them — parcels, history,
 * areas adding up exactly, certificates. Bad input and concurrency are in change-guards.ts.
 */
import { maskName } from '../../../../kit';
import { CHANGE, LAP_THACH, tenths, writeHelpers, OFFICIAL } from './fixtures';
import type { Harness } from './harness';

export function landWriteTests(harness: () => Harness): void {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  const { count, change, expectError, snapshot, parcel, household } = writeHelpers(() => h);

  test('a failing change writes nothing; a split retires its source and reissues the certificate', async () => {
    const before = async () => [
      await count('SELECT count(*)::int AS n FROM land_changes'),
      await count('SELECT count(*)::int AS n FROM land_parcels'),
      await count('SELECT count(*)::int AS n FROM land_certificates WHERE cancelled_on IS NULL'),
    ];
    const source = // As the official who will make the change: the holders' names then compare unmasked.
      (
        await h.gql(
          `{ landParcel(id: "00598/1/1") { area certificates { holders { fullName } } } }`,
          {},
          OFFICIAL,
        )
      ).data!.landParcel;
    const whole = tenths(source.area);
    const first = whole / 3n;
    const parts = [first, whole - first].map((t) => `${t / 10n}.${t % 10n}`);
    const counts = await before();
    const dossier = await h.landDossier({ kind: 'SPLIT', parcelId: '00598/1/1' });
    // Fails after the change row is written (parcel number 2 is taken): everything rolls back.
    const taken = await h.gql(
      CHANGE,
      {
        input: {
          dossierCode: dossier,
          kind: 'SPLIT',
          date: '2025-06-16',
          parcelIds: ['00598/1/1'],
          results: [{ area: parts[0], parcelNumber: 2 }, { area: parts[1] }],
        },
      },
      OFFICIAL,
    );
    expect(taken.errors![0]!.extensions!.code).toBe('CONFLICT');
    const wrongSum = await h.gql(
      CHANGE,
      {
        input: {
          dossierCode: dossier,
          kind: 'SPLIT',
          date: '2025-06-16',
          parcelIds: ['00598/1/1'],
          results: [{ area: parts[0] }, { area: '1.0' }],
        },
      },
      OFFICIAL,
    );
    expect(wrongSum.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.results',
    });
    expect(await before()).toEqual(counts);

    const ok = await h.gql(
      CHANGE,
      {
        input: {
          dossierCode: dossier,
          kind: 'SPLIT',
          date: '2025-06-16',
          parcelIds: ['00598/1/1'],
          results: [{ area: parts[0] }, { area: parts[1], landUseCode: 'ODT' }],
        },
      },
      OFFICIAL,
    );
    expect(ok.errors).toBeUndefined();
    const change = ok.data!.registerLandChange;
    expect(change).toMatchObject({ kind: 'SPLIT', date: '2025-06-16', dossier: { code: dossier } });
    expect(change.fromParcels).toEqual([{ id: '00598/1/1', retiredOn: '2025-06-16' }]);
    expect(change.toParcels.map((p: any) => p.area)).toEqual(parts);
    expect(change.toParcels[1].landUse).toEqual({ code: 'ODT', codeVersion: 'TT08_2024' });
    for (const p of change.toParcels)
      expect(p.certificates[0].holders).toEqual(source.certificates[0].holders);
    const history = await h.gql(
      `{ landParcel(id: "00598/1/1") { retiredOn certificates { id } history { kind toParcels { id } } } }`,
    );
    expect(history.data!.landParcel.certificates).toEqual([]);
    expect(history.data!.landParcel.history.at(-1)).toEqual({
      kind: 'SPLIT',
      toParcels: change.toParcels.map((p: any) => ({ id: p.id })),
    });
    // A retired parcel cannot change again.
    const again = await h.gql(
      CHANGE,
      {
        input: {
          dossierCode: await h.landDossier({ kind: 'CHANGE_OF_USE', parcelId: '00598/1/1' }),
          kind: 'CHANGE_OF_USE',
          date: '2025-06-18',
          parcelIds: ['00598/1/1'],
          landUseCode: 'ODT',
        },
      },
      OFFICIAL,
    );
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  test('a transfer cancels the certificate and issues one to the new holder, masked', async () => {
    const r = await change({
      kind: 'TRANSFER',
      date: '2025-06-17',
      parcelIds: ['00595/1/1'],
      newHolders: [
        {
          fullName: 'Nguyễn Văn A',
          birthYear: 1985,
          idNumber: '001085012345',
          address: 'Số 5, Tổ dân phố 3, Phường Thượng Cát, Thành phố Hà Nội',
        },
      ],
    });
    expect(r.errors).toBeUndefined();
    const p = await h.gql(
      `{ landParcel(id: "00595/1/1") { certificates { origin issueDate holders { fullName birthYear idNumber address } } } }`,
    );
    expect(p.data!.landParcel.certificates).toEqual([
      {
        origin: 'TRANSFERRED',
        issueDate: '2025-06-17',
        holders: [
          {
            fullName: 'N*** V** A',
            birthYear: '19**',
            idNumber: '*********345',
            address: '***, Phường Thượng Cát, Thành phố Hà Nội',
          },
        ],
      },
    ]);
  });

  test('a MERGE: two neighbours of one holder become one parcel whose area is exactly their sum', async () => {
    const [a, b] = ['08761/1/1', '08761/1/2'];
    // Held by different households, they cannot merge (checked after the change row is written: all rolled back).
    const before = await snapshot([a, b]);
    const [pa, pb] = [await parcel(a), await parcel(b)];
    const sum = tenths(pa.area) + tenths(pb.area);
    const area = `${sum / 10n}.${sum % 10n}`;
    const dossierCode = await h.landDossier({ kind: 'MERGE', parcelId: a, agency: LAP_THACH });
    const merge = { dossierCode, kind: 'MERGE', date: '2025-06-18', parcelIds: [a, b], results: [{ area }] };
    expectError(await change(merge, LAP_THACH), 'BAD_USER_INPUT', 'input.parcelIds');
    expect(await snapshot([a, b])).toBe(before);
    // The household buys both plots, then merges them.
    for (const id of [a, b])
      expect(
        (
          await change(
            { kind: 'TRANSFER', date: '2025-06-16', parcelIds: [id], newHolders: household },
            LAP_THACH,
          )
        ).errors,
      ).toBeUndefined();
    const [{ max }] = await h.db.query<{ max: number }>(
      `SELECT max(parcel)::int AS max FROM land_parcels WHERE original_commune_code = '08761' AND sheet = 1`,
    );
    const r = await change({ ...merge, note: 'Hợp thửa theo đề nghị của hộ gia đình' }, LAP_THACH);
    expect(r.errors).toBeUndefined();
    const newId = `08761/1/${max + 1}`;
    expect(r.data!.registerLandChange).toMatchObject({
      kind: 'MERGE',
      date: '2025-06-18',
      dossier: { code: dossierCode },
      fromParcels: [
        { id: a, retiredOn: '2025-06-18' },
        { id: b, retiredOn: '2025-06-18' },
      ],
      toParcels: [
        {
          id: newId,
          area,
          retiredOn: null,
          // The official of the issuing agency sees the holders unmasked; others masked (below).
          certificates: [{ holders: [{ fullName: 'Lê Văn Cường' }, { fullName: 'Đỗ Thị Hạnh' }] }],
        },
      ],
    });
    const merged = await parcel(newId);
    expect(tenths(merged.area)).toBe(sum); // exact decimal, no float drift
    expect(merged.landUse.codeVersion).toBe('TT08_2024');
    expect(merged.certificates).toEqual([
      {
        issueSerial: expect.stringMatching(/^DA \d{6}$/),
        issueDate: '2025-06-18',
        cancelledOn: null,
        origin: 'RECOGNISED',
        holders: [
          { fullName: maskName('Lê Văn Cường'), idNumber: '*********122' },
          { fullName: maskName('Đỗ Thị Hạnh'), idNumber: '*********344' },
        ],
      },
    ]);
    expect(merged.history).toEqual([
      expect.objectContaining({
        kind: 'MERGE',
        date: '2025-06-18',
        fromParcels: [{ id: a }, { id: b }],
        toParcels: [{ id: newId }],
      }),
    ]);
    // The new parcel covers both sources; the sources are retired with every certificate cancelled.
    for (const src of [await parcel(a), await parcel(b)]) {
      expect(src.retiredOn).toBe('2025-06-18');
      expect(src.certificates.every((c: { cancelledOn: string }) => c.cancelledOn !== null)).toBe(true);
      expect(src.history.map((x: { kind: string }) => x.kind).slice(-2)).toEqual(['TRANSFER', 'MERGE']);
      expect(src.history.at(-1).id).toBe(merged.history[0].id);
      expect(merged.boundingBox.minX).toBeLessThanOrEqual(src.boundingBox.minX);
      expect(merged.boundingBox.maxX).toBeGreaterThanOrEqual(src.boundingBox.maxX);
    }
    // Retired parcels do not merge again.
    expectError(await change(merge, LAP_THACH), 'CONFLICT');
  });

  test('a CHANGE_OF_USE: the parcel keeps its area and certificate, its land use and history change', async () => {
    const id = '08794/1/1';
    const was = await parcel(id);
    const to = was.landUse.code === 'ONT' ? 'CLN' : 'ONT';
    const r = await change(
      {
        kind: 'CHANGE_OF_USE',
        date: '2025-06-19',
        parcelIds: [id],
        landUseCode: to.toLowerCase(),
        note: 'Chuyển sang đất ở',
      },
      LAP_THACH,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerLandChange).toMatchObject({
      kind: 'CHANGE_OF_USE',
      date: '2025-06-19',
      fromParcels: [{ id, retiredOn: null }],
      toParcels: [{ id, area: was.area, landUse: { code: to, codeVersion: 'TT08_2024' } }],
    });
    const now = await parcel(id);
    expect(now.area).toBe(was.area);
    expect(now.retiredOn).toBeNull();
    expect(now.certificates).toEqual(was.certificates); // the same certificate, still valid
    expect(now.history.slice(0, -1)).toEqual(was.history);
    expect(now.history.at(-1)).toMatchObject({
      kind: 'CHANGE_OF_USE',
      note: 'Chuyển sang đất ở',
      fromParcels: [{ id }],
      toParcels: [{ id }],
    });
  });
}
