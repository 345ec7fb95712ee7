/**
 * The land subgraph's writes (registerLandChange), part of its data suite (data-suite.ts), on the same
 * seeded database: split, merge, transfer and change of use as the user sees them (parcels, history,
 * areas adding up exactly, certificates), bad input on each with the field named and nothing
 * half-written (checked in the database), and concurrent changes of one parcel.
 */
import { maskName } from '../../../kit';
import type { TestSubgraph } from '../../../kit/testing';
import { CHANGE, DOSSIER, tenths } from './fixtures';

type Input = Record<string, unknown>;

export function landWriteTests(harness: () => TestSubgraph): void {
  let h: TestSubgraph;
  beforeAll(() => {
    h = harness();
  });
  const count = async (sql: string): Promise<number> => (await h.db.query<{ n: number }>(sql))[0]!.n;
  const change = (input: Input): Promise<any> => h.gql(CHANGE, { input: { dossierCode: DOSSIER, ...input } });
  /** Everything a change can write, for the parcels it names: compared before and after a failure. */
  const snapshot = async (ids: string[]) =>
    JSON.stringify([
      await h.db.query('SELECT count(*)::int AS n FROM land_changes'),
      await h.db.query('SELECT count(*)::int AS n FROM land_change_parcels'),
      await h.db.query('SELECT count(*)::int AS n FROM land_parcels'),
      await h.db.query('SELECT count(*)::int AS n FROM land_certificates'),
      await h.db.query('SELECT count(*)::int AS n FROM land_certificate_holders'),
      await h.db.query(
        `SELECT id, area_m2::text, land_use_code, land_use_code_version, retired_on::text FROM land_parcels WHERE id = ANY($1::text[]) ORDER BY id`,
        [ids],
      ),
      await h.db.query(
        `SELECT id, cancelled_on::text FROM land_certificates WHERE parcel_id = ANY($1::text[]) ORDER BY id`,
        [ids],
      ),
    ]);
  const expectError = (r: any, code: string, field?: string) => {
    expect(r.data).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].extensions.code).toBe(code);
    if (field) expect(r.errors[0].extensions.field).toBe(field);
    expect(JSON.stringify(r.errors)).not.toMatch(/\n\s+at /); // no stack trace
  };

  test('a failing change writes nothing; a split retires its source and reissues the certificate', async () => {
    const before = async () => [
      await count('SELECT count(*)::int AS n FROM land_changes'),
      await count('SELECT count(*)::int AS n FROM land_parcels'),
      await count('SELECT count(*)::int AS n FROM land_certificates WHERE cancelled_on IS NULL'),
    ];
    const source = (
      await h.gql(`{ landParcel(id: "00598/1/1") { area certificates { holders { fullName } } } }`)
    ).data!.landParcel;
    const whole = tenths(source.area);
    const first = whole / 3n;
    const parts = [first, whole - first].map((t) => `${t / 10n}.${t % 10n}`);
    const counts = await before();
    // Fails after the change row is written (parcel number 2 is taken): everything rolls back.
    const taken = await h.gql(CHANGE, {
      input: {
        dossierCode: DOSSIER,
        kind: 'SPLIT',
        date: '2026-03-02',
        parcelIds: ['00598/1/1'],
        results: [{ area: parts[0], parcelNumber: 2 }, { area: parts[1] }],
      },
    });
    expect(taken.errors![0]!.extensions!.code).toBe('CONFLICT');
    const wrongSum = await h.gql(CHANGE, {
      input: {
        dossierCode: DOSSIER,
        kind: 'SPLIT',
        date: '2026-03-02',
        parcelIds: ['00598/1/1'],
        results: [{ area: parts[0] }, { area: '1.0' }],
      },
    });
    expect(wrongSum.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.results',
    });
    expect(await before()).toEqual(counts);

    const ok = await h.gql(CHANGE, {
      input: {
        dossierCode: DOSSIER,
        kind: 'SPLIT',
        date: '2026-03-02',
        parcelIds: ['00598/1/1'],
        results: [{ area: parts[0] }, { area: parts[1], landUseCode: 'ODT' }],
      },
    });
    expect(ok.errors).toBeUndefined();
    const change = ok.data!.registerLandChange;
    expect(change).toMatchObject({ kind: 'SPLIT', date: '2026-03-02', dossier: { code: DOSSIER } });
    expect(change.fromParcels).toEqual([{ id: '00598/1/1', retiredOn: '2026-03-02' }]);
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
    const again = await h.gql(CHANGE, {
      input: {
        dossierCode: DOSSIER,
        kind: 'CHANGE_OF_USE',
        date: '2026-04-01',
        parcelIds: ['00598/1/1'],
        landUseCode: 'ODT',
      },
    });
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  test('a transfer cancels the certificate and issues one to the new holder, masked', async () => {
    const r = await h.gql(CHANGE, {
      input: {
        dossierCode: DOSSIER,
        kind: 'TRANSFER',
        date: '2026-03-05',
        parcelIds: ['00595/1/1'],
        newHolders: [
          {
            fullName: 'Nguyễn Văn A',
            birthYear: 1985,
            idNumber: '001085012345',
            address: 'Số 5, Tổ dân phố 3, Phường Thượng Cát, Thành phố Hà Nội',
          },
        ],
      },
    });
    expect(r.errors).toBeUndefined();
    const p = await h.gql(
      `{ landParcel(id: "00595/1/1") { certificates { origin issueDate holders { fullName birthYear idNumber address } } } }`,
    );
    expect(p.data!.landParcel.certificates).toEqual([
      {
        origin: 'TRANSFERRED',
        issueDate: '2026-03-05',
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

  const PARCEL = `id area retiredOn landUse { code codeVersion } boundingBox { minX minY maxX maxY }
    certificates(includeCancelled: true) { issueSerial issueDate cancelledOn origin holders { fullName idNumber } }
    history { id kind date note dossier { code } fromParcels { id } toParcels { id } }`;
  const parcel = async (id: string) => {
    const r = await h.gql(`query($id: ID!) { landParcel(id: $id) { ${PARCEL} } }`, { id });
    expect(r.errors).toBeUndefined();
    return r.data!.landParcel;
  };
  const household = [
    {
      fullName: 'Lê Văn Cường',
      birthYear: 1978,
      idNumber: '026078001122',
      address: 'Số 8, Tổ dân phố 1, Thị trấn Lập Thạch',
    },
    {
      fullName: 'Đỗ Thị Hạnh',
      birthYear: 1980,
      idNumber: '026180003344',
      address: 'Số 8, Tổ dân phố 1, Thị trấn Lập Thạch',
    },
  ];

  test('a MERGE: two neighbours of one holder become one parcel whose area is exactly their sum', async () => {
    const [a, b] = ['08761/1/1', '08761/1/2'];
    // Held by different households, they cannot merge (checked after the change row is written: all rolled back).
    const before = await snapshot([a, b]);
    const [pa, pb] = [await parcel(a), await parcel(b)];
    const sum = tenths(pa.area) + tenths(pb.area);
    const area = `${sum / 10n}.${sum % 10n}`;
    const merge = { kind: 'MERGE', date: '2026-04-01', parcelIds: [a, b], results: [{ area }] };
    expectError(await change(merge), 'BAD_USER_INPUT', 'input.parcelIds');
    expect(await snapshot([a, b])).toBe(before);
    // The household buys both plots, then merges them.
    for (const id of [a, b])
      expect(
        (await change({ kind: 'TRANSFER', date: '2026-03-02', parcelIds: [id], newHolders: household }))
          .errors,
      ).toBeUndefined();
    const [{ max }] = await h.db.query<{ max: number }>(
      `SELECT max(parcel)::int AS max FROM land_parcels WHERE original_commune_code = '08761' AND sheet = 1`,
    );
    const r = await change({ ...merge, note: 'Hợp thửa theo đề nghị của hộ gia đình' });
    expect(r.errors).toBeUndefined();
    const newId = `08761/1/${max + 1}`;
    expect(r.data!.registerLandChange).toMatchObject({
      kind: 'MERGE',
      date: '2026-04-01',
      dossier: { code: DOSSIER },
      fromParcels: [
        { id: a, retiredOn: '2026-04-01' },
        { id: b, retiredOn: '2026-04-01' },
      ],
      toParcels: [
        {
          id: newId,
          area,
          retiredOn: null,
          certificates: [
            { holders: [{ fullName: maskName('Lê Văn Cường') }, { fullName: maskName('Đỗ Thị Hạnh') }] },
          ],
        },
      ],
    });
    const merged = await parcel(newId);
    expect(tenths(merged.area)).toBe(sum); // exact decimal, no float drift
    expect(merged.landUse.codeVersion).toBe('TT08_2024');
    expect(merged.certificates).toEqual([
      {
        issueSerial: expect.stringMatching(/^DA \d{6}$/),
        issueDate: '2026-04-01',
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
        date: '2026-04-01',
        fromParcels: [{ id: a }, { id: b }],
        toParcels: [{ id: newId }],
      }),
    ]);
    // The new parcel covers both sources; the sources are retired with every certificate cancelled.
    for (const src of [await parcel(a), await parcel(b)]) {
      expect(src.retiredOn).toBe('2026-04-01');
      expect(src.certificates.every((c: { cancelledOn: string }) => c.cancelledOn !== null)).toBe(true);
      expect(src.history.map((x: { kind: string }) => x.kind).slice(-2)).toEqual(['TRANSFER', 'MERGE']);
      expect(src.history.at(-1).id).toBe(merged.history[0].id);
      expect(merged.boundingBox.minX).toBeLessThanOrEqual(src.boundingBox.minX);
      expect(merged.boundingBox.maxX).toBeGreaterThanOrEqual(src.boundingBox.maxX);
    }
    // Retired parcels do not merge again.
    expectError(await change(merge), 'CONFLICT');
  });

  test('bad MERGE input: a clear code naming the field, and nothing written', async () => {
    const ids = ['08764/1/1', '08764/1/2'];
    const before = await snapshot([...ids, '08764/2/1']);
    const sum = tenths((await parcel(ids[0]!)).area) + tenths((await parcel(ids[1]!)).area);
    const area = `${sum / 10n}.${sum % 10n}`;
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
        await change({ kind: 'MERGE', date: '2026-04-01', parcelIds: ids, results: [{ area }], ...over }),
        code,
        field,
      );
    expect(await snapshot([...ids, '08764/2/1'])).toBe(before);
  });

  test('a CHANGE_OF_USE: the parcel keeps its area and certificate, its land use and history change', async () => {
    const id = '08794/1/1';
    const was = await parcel(id);
    const to = was.landUse.code === 'ONT' ? 'CLN' : 'ONT';
    const r = await change({
      kind: 'CHANGE_OF_USE',
      date: '2026-05-04',
      parcelIds: [id],
      landUseCode: to.toLowerCase(),
      note: 'Chuyển sang đất ở',
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerLandChange).toMatchObject({
      kind: 'CHANGE_OF_USE',
      date: '2026-05-04',
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

  test('bad CHANGE_OF_USE input: a clear code naming the field, and nothing written', async () => {
    const id = '08794/1/2';
    const current = (await parcel(id)).landUse.code;
    const before = await snapshot([id, '08794/1/3']);
    const cases: [Input, string, string | undefined][] = [
      [{ landUseCode: null }, 'BAD_USER_INPUT', 'input.landUseCode'],
      [{ landUseCode: 'XYZ' }, 'BAD_USER_INPUT', 'input.landUseCode'],
      [{ landUseCode: 'CNT', date: '2023-06-01' }, 'BAD_USER_INPUT', 'input.landUseCode'], // only from TT08/2024
      [{ landUseCode: current }, 'BAD_USER_INPUT', 'input.landUseCode'], // already its use
      [{ date: '1990-01-01' }, 'BAD_USER_INPUT', 'input.date'], // before the parcel was registered
      [{ results: [{ area: '10.0' }] }, 'BAD_USER_INPUT', 'input.results'],
      [{ parcelIds: [id, '08794/1/3'] }, 'BAD_USER_INPUT', 'input.parcelIds'],
      [{ parcelIds: ['08794/1/0'] }, 'BAD_USER_INPUT', 'input.parcelIds[0]'],
      [{ parcelIds: ['08794/999/1'] }, 'NOT_FOUND', undefined],
    ];
    for (const [over, code, field] of cases)
      expectError(
        await change({
          kind: 'CHANGE_OF_USE',
          date: '2026-05-04',
          parcelIds: [id],
          landUseCode: current === 'ODT' ? 'TMD' : 'ODT',
          ...over,
        }),
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
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        change({
          kind: 'SPLIT',
          date: '2026-06-01',
          parcelIds: [id],
          results: parts.map((area) => ({ area })),
        }),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) {
      expectError(r, 'CONFLICT');
      expect(r.errors[0].message).toContain(`land parcel ${id} was retired on 2026-06-01`);
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
    const results = await Promise.all(
      buyers.map((b) => change({ kind: 'TRANSFER', date: '2026-06-02', parcelIds: [id], newHolders: [b] })),
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
