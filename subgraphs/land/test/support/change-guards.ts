/**
 * registerLandChange guarded, part of the land data suite (data-suite.ts): bad input on a MERGE and a
 * CHANGE_OF_USE gets a clear code naming the field and writes nothing (checked in the database); 10
 * concurrent changes of one parcel: exactly the right number succeed, no history lost or doubled.
 */
import { LAP_THACH, tenths, writeHelpers } from './fixtures';
import type { Input } from './fixtures';
import type { Harness } from './harness';

export function changeGuardTests(harness: () => Harness): void {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  const { count, change, expectError, snapshot, parcel } = writeHelpers(() => h);

  test('bad MERGE input: a clear code naming the field, and nothing written', async () => {
    const ids = ['08764/1/1', '08764/1/2'];
    const before = await snapshot([...ids, '08764/2/1']);
    const sum = tenths((await parcel(ids[0]!)).area) + tenths((await parcel(ids[1]!)).area);
    const area = `${sum / 10n}.${sum % 10n}`;
    const dossierCode = await h.landDossier({ kind: 'MERGE', parcelId: ids[0]!, agency: LAP_THACH });
    const cases: [Input, string, string | undefined][] = [
      [{ parcelIds: [ids[0]] }, 'BAD_USER_INPUT', 'input.parcelIds'],
      [{ parcelIds: [ids[0], ids[0]] }, 'BAD_USER_INPUT', 'input.parcelIds'],
      [{ results: [] }, 'BAD_USER_INPUT', 'input.results'],
      [{ results: [{ area }, { area }] }, 'BAD_USER_INPUT', 'input.results'],
      [{ results: [{ area: '-5' }] }, 'BAD_USER_INPUT', 'input.results[0].area'],
      [{ results: [{ area, landUseCode: 'ABC' }] }, 'BAD_USER_INPUT', 'input.results[0].landUseCode'],
      [{ parcelIds: [ids[0], '08764/2/1'] }, 'BAD_USER_INPUT', 'input.parcelIds'], // two map sheets
      [{ results: [{ area: '1.0' }] }, 'BAD_USER_INPUT', 'input.results'], // areas do not add up
      [{ results: [{ area, parcelNumber: 3 }] }, 'CONFLICT', undefined], // parcel number 3 is taken
      [{ parcelIds: [ids[0], '08764/1/9999'] }, 'NOT_FOUND', undefined],
      [{ dossierCode: 'HS-2026-1' }, 'BAD_USER_INPUT', 'input.dossierCode'],
    ];
    for (const [over, code, field] of cases)
      expectError(
        await change(
          { dossierCode, kind: 'MERGE', date: '2025-06-18', parcelIds: ids, results: [{ area }], ...over },
          LAP_THACH,
        ),
        code,
        field,
      );
    expect(await snapshot([...ids, '08764/2/1'])).toBe(before);
  });

  test('bad CHANGE_OF_USE input: a clear code naming the field, and nothing written', async () => {
    const id = '08794/1/2';
    const current = (await parcel(id)).landUse.code;
    const before = await snapshot([id, '08794/1/3']);
    const dossierCode = await h.landDossier({ kind: 'CHANGE_OF_USE', parcelId: id, agency: LAP_THACH });
    const cases: [Input, string, string | undefined][] = [
      [{ landUseCode: null }, 'BAD_USER_INPUT', 'input.landUseCode'],
      [{ landUseCode: 'XYZ' }, 'BAD_USER_INPUT', 'input.landUseCode'],
      [{ landUseCode: 'CNT', date: '2023-06-01' }, 'BAD_USER_INPUT', 'input.landUseCode'], // only from TT08/2024
      [{ landUseCode: current }, 'BAD_USER_INPUT', 'input.landUseCode'], // already its use
      [{ date: '2025-06-05' }, 'BAD_USER_INPUT', 'input.date'], // before the dossier was resolved
      [{ results: [{ area: '10.0' }] }, 'BAD_USER_INPUT', 'input.results'],
      [{ parcelIds: [id, '08794/1/3'] }, 'BAD_USER_INPUT', 'input.parcelIds'],
      [{ parcelIds: ['08794/1/0'] }, 'BAD_USER_INPUT', 'input.parcelIds[0]'],
      [{ parcelIds: ['08794/999/1'] }, 'NOT_FOUND', undefined],
    ];
    for (const [over, code, field] of cases)
      expectError(
        await change(
          {
            dossierCode,
            kind: 'CHANGE_OF_USE',
            date: '2025-06-19',
            parcelIds: [id],
            landUseCode: current === 'ODT' ? 'TMD' : 'ODT',
            ...over,
          },
          LAP_THACH,
        ),
        code,
        field,
      );
    expect(await snapshot([id, '08794/1/3'])).toBe(before);
  });

  test('10 concurrent splits of one parcel: exactly one succeeds, the others get CONFLICT, no history lost or doubled', async () => {
    const id = '00601/1/1';
    const src = await parcel(id);
    const half = tenths(src.area) / 2n;
    const parts = [half, tenths(src.area) - half].map((t) => `${t / 10n}.${t % 10n}`);
    const sheetCount = () =>
      count(
        `SELECT count(*)::int AS n FROM land_parcels WHERE original_commune_code = '00601' AND sheet = 1`,
      );
    const [parcelsBefore, changesBefore] = [
      await sheetCount(),
      await count('SELECT count(*)::int AS n FROM land_changes'),
    ];
    // Ten dossiers deciding a split of the same parcel (a dossier decides one change).
    const dossiers: string[] = [];
    for (let i = 0; i < 10; i++) dossiers.push(await h.landDossier({ kind: 'SPLIT', parcelId: id }));
    const results = await Promise.all(
      dossiers.map((dossierCode) =>
        change({
          dossierCode,
          kind: 'SPLIT',
          date: '2025-06-23',
          parcelIds: [id],
          results: parts.map((area) => ({ area })),
        }),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) {
      expectError(r, 'CONFLICT');
      expect(r.errors[0].message).toContain(`land parcel ${id} was retired on 2025-06-23`);
    }
    expect(await sheetCount()).toBe(parcelsBefore + 2);
    expect(await count('SELECT count(*)::int AS n FROM land_changes')).toBe(changesBefore + 1);
    const after = await parcel(id);
    expect(after.history.slice(0, -1)).toEqual(src.history);
    expect(after.history.at(-1)).toMatchObject({
      kind: 'SPLIT',
      toParcels: ok[0].data.registerLandChange.toParcels.map((p: any) => ({ id: p.id })),
    });
  });

  test('10 concurrent transfers of one parcel: all succeed one after another, one valid certificate at the end', async () => {
    const id = '00601/1/2';
    const src = await parcel(id);
    const buyers = Array.from({ length: 10 }, (_, i) => ({
      fullName: `Nguyễn Văn Mua ${'ABCDEFGHIK'[i]}`,
      idNumber: `0010850000${String(i).padStart(2, '0')}`,
      address: 'Số 1, Tổ dân phố 1, Phường Đông Ngạc',
    }));
    const dossiers: string[] = [];
    for (let i = 0; i < 10; i++) dossiers.push(await h.landDossier({ kind: 'TRANSFER', parcelId: id }));
    const results = await Promise.all(
      buyers.map((b, i) =>
        change({
          dossierCode: dossiers[i],
          kind: 'TRANSFER',
          date: '2025-06-24',
          parcelIds: [id],
          newHolders: [b],
        }),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const after = await parcel(id);
    const added = after.history.slice(src.history.length);
    expect(added).toHaveLength(10); // none lost…
    expect(new Set(added.map((x: { id: string }) => x.id)).size).toBe(10); // …none doubled
    expect(after.history.slice(0, src.history.length)).toEqual(src.history);
    const valid = after.certificates.filter((c: { cancelledOn: string | null }) => c.cancelledOn === null);
    expect(valid).toHaveLength(1);
    expect(after.certificates).toHaveLength(src.certificates.length + 10);
    // The valid certificate belongs to the transfer registered last (the highest change id).
    const last = results
      .map((r) => r.data.registerLandChange.id)
      .sort((x, y) => Number(x) - Number(y))
      .at(-1);
    const lastBuyer = buyers[results.findIndex((r) => r.data.registerLandChange.id === last)]!;
    expect(valid[0].holders).toEqual([
      {
        fullName: expect.stringMatching(/^N\*+ V\*+ M\*+ \S$/),
        idNumber: `*********${lastBuyer.idNumber.slice(-3)}`,
      },
    ]);
  });
}
