/**
 * The land subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and against a
 * PostgreSQL server given by URL (data.services.test.ts): same SQL, same answers.
 */
import { seededParcels } from '../../../kit';
import type { Database } from '../../../kit';
import { BOX_SQL, boxParams } from '../db/reads';
import { maskName } from '../../../kit';
import { callers } from '../../../kit/testing';
import { seededCommunes } from '../seed';
import { openHarness, TEST_SCALE } from './harness';
import type { Harness } from './harness';

const THUONG_CAT_2025 = '00598@2025-07-01'; // Phường Thượng Cát from 1 July 2025 (code of old Liên Mạc)
const LIEN_MAC = '00598@2014-04-01';
const TAY_TUU_OLD = '00607@2014-04-01'; // divided between four new units in 2025
const BAC_TU_LIEM = '000.00.21.H26';
const DOSSIER = `${BAC_TU_LIEM}-170315-0007`;

const CHANGE = `mutation($input: RegisterLandChangeInput!) { registerLandChange(input: $input) {
  id kind date dossier { code } fromParcels { id retiredOn } toParcels { id area retiredOn landUse { code codeVersion }
  certificates { holders { fullName } } } } }`;

const tenths = (area: string): bigint => BigInt(area.replace('.', ''));

export function landDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`land data (${label})`, () => {
    let h: Harness;
    const count = async (sql: string): Promise<number> => (await h.db.query<{ n: number }>(sql))[0]!.n;
    // Reads as an analyst (every certificate, holders masked, see harness.ts); changes are decided by
    // Bắc Từ Liêm (the dossier's agency), registered by one of its officials.
    const asOfficial = (q: string, v: Record<string, unknown>) => h.gql(q, v, callers.official(BAC_TU_LIEM));
    beforeAll(async () => {
      h = await openHarness(await open());
    }, 120_000);
    afterAll(async () => h?.close());

    test('the seed holds exactly the parcels of the shared numbering plan, for every pre-2025 commune', async () => {
      const expected = seededCommunes().flatMap((u) =>
        [...seededParcels(u.code, TEST_SCALE)].map((p) => `${p.originalCommuneCode}/${p.sheet}/${p.parcel}`),
      );
      const rows = await h.db.query<{ id: string }>('SELECT id FROM land_parcels ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual([...expected].sort());
      expect(seededCommunes().map((u) => u.code)).toEqual(
        expect.arrayContaining(['00595', '00598', '08761']),
      );
    });

    test('identity is unique across the 2025 mergers: sheet 1 parcel 1 of Thượng Cát and of Liên Mạc both exist', async () => {
      const r = await h.gql(`{
        a: landParcelByIdentity(originalCommuneCode: "00595", sheet: 1, parcel: 1) { id commune { id } currentCommune { id } area }
        b: landParcelByIdentity(originalCommuneCode: "00598", sheet: 1, parcel: 1) { id commune { id } currentCommune { id } area }
        c: landParcel(id: "00598/1/1") { id sheetNumber parcelNumber originalCommuneCode } }`);
      expect(r.errors).toBeUndefined();
      const { a, b, c } = r.data!;
      expect([a.id, b.id]).toEqual(['00595/1/1', '00598/1/1']);
      expect(a.commune.id).toBe('00595@2014-04-01');
      expect(b.commune.id).toBe(LIEN_MAC);
      // Both old wards merged whole into today's Phường Thượng Cát.
      expect(a.currentCommune.id).toBe(THUONG_CAT_2025);
      expect(b.currentCommune.id).toBe(THUONG_CAT_2025);
      expect(c).toEqual({ id: '00598/1/1', sheetNumber: 1, parcelNumber: 1, originalCommuneCode: '00598' });
      expect(a.area).toMatch(/^\d+\.\d$/);
    });

    test('a commune as it was, and today’s commune with its predecessors', async () => {
      const page = async (args: string) => {
        const r = await h.gql(
          `{ landParcels(${args}, first: 100) { nodes { id currentCommune { id } } pageInfo { hasNextPage } } }`,
        );
        expect(r.errors).toBeUndefined();
        return r.data!.landParcels;
      };
      const old = await page('commune: "00598", asOf: "2020-01-01"');
      expect(old.nodes.length).toBeGreaterThan(0);
      expect(old.nodes.every((n: { id: string }) => n.id.startsWith('00598/'))).toBe(true);
      // Today 00598 is the new ward: nothing registered in it directly, its predecessors' parcels with includePredecessors.
      expect((await page('commune: "00598"')).nodes).toEqual([]);
      const today = await page('commune: "00598", includePredecessors: true');
      const communes = new Set(today.nodes.map((n: { id: string }) => n.id.slice(0, 5)));
      expect(communes.has('00595')).toBe(true);
      expect(
        today.nodes.every((n: { currentCommune: { id: string } }) => n.currentCommune.id === THUONG_CAT_2025),
      ).toBe(true);
      // A divided old ward's parcels go to exactly one of its successors each.
      const divided = await h.db.query<{ to: string; n: number }>(
        `SELECT divided_into_unit_id AS to, count(*)::int AS n FROM land_parcels WHERE original_unit_id = $1 GROUP BY 1`,
        [TAY_TUU_OLD],
      );
      expect(divided.length).toBeGreaterThan(1);
      const stats = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on AdministrativeUnit { id landStats { parcelCount } } } }`,
        { reps: divided.map((d) => ({ __typename: 'AdministrativeUnit', id: d.to })) },
      );
      expect(stats.errors).toBeUndefined();
      for (const [i, d] of divided.entries())
        expect(stats.data!._entities[i].landStats.parcelCount).toBeGreaterThanOrEqual(d.n);
    });

    test('filters: land-use code and an exact decimal area range', async () => {
      const r = await h.gql(`{ landParcels(commune: "08794", asOf: "2024-01-01", first: 100,
        filter: { landUseCode: "luc", areaMin: "500.0", areaMax: "1500.5" }) { nodes { area landUse { code } } } }`);
      expect(r.errors).toBeUndefined();
      const nodes = r.data!.landParcels.nodes;
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) {
        expect(n.landUse.code).toBe('LUC');
        expect(tenths(n.area) >= 5000n && tenths(n.area) <= 15005n).toBe(true);
      }
    });

    test('bounding-box query: exactly the intersecting parcels, paged, and index-backed', async () => {
      const [p] = await h.db.query<{ minX: number; minY: number; maxX: number; maxY: number }>(
        `SELECT min_x AS "minX", min_y AS "minY", max_x AS "maxX", max_y AS "maxY" FROM land_parcels WHERE id = '00598/1/1'`,
      );
      const box = {
        minX: p!.minX - 0.0005,
        minY: p!.minY - 0.0005,
        maxX: p!.maxX + 0.0005,
        maxY: p!.maxY + 0.0005,
      };
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const r: any = await h.gql(
          `query($a: String) { landParcelsInBox(minX: ${box.minX}, minY: ${box.minY}, maxX: ${box.maxX}, maxY: ${box.maxY}, first: 10, after: $a) {
            nodes { id } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        expect(r.errors).toBeUndefined();
        ids.push(...r.data.landParcelsInBox.nodes.map((n: { id: string }) => n.id));
        after = r.data.landParcelsInBox.pageInfo.hasNextPage
          ? r.data.landParcelsInBox.pageInfo.endCursor
          : null;
      } while (after);
      const brute = await h.db.query<{ id: string }>(
        `SELECT id FROM land_parcels WHERE retired_on IS NULL AND min_x <= $3 AND max_x >= $1 AND min_y <= $4 AND max_y >= $2`,
        [box.minX, box.minY, box.maxX, box.maxY],
      );
      expect(ids).toContain('00598/1/1');
      expect([...ids].sort()).toEqual(brute.map((b) => b.id).sort());
      expect(ids.length).toBeGreaterThan(1);
      const plan = await h.db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${BOX_SQL}`,
        boxParams({ ...box, after: null, limit: 21 }),
      );
      expect(plan.map((l) => l['QUERY PLAN']).join('\n')).toMatch(/land_parcels_bbox/);
    });

    test('holders are masked in every response; the raw values never appear', async () => {
      const r = await h.gql(`{ landParcels(commune: "00598", asOf: "2024-01-01", first: 50) { nodes { id
        certificates(includeCancelled: true) { holders { fullName birthYear idNumber address } } } } }`);
      expect(r.errors).toBeUndefined();
      const raw = await h.db.query<{ fullName: string; idNumber: string; address: string }>(
        `SELECT full_name AS "fullName", id_number AS "idNumber", address FROM land_certificate_holders`,
      );
      const body = JSON.stringify(r.data);
      const holders = r.data!.landParcels.nodes.flatMap((n: any) =>
        n.certificates.flatMap((c: any) => c.holders),
      );
      expect(holders.length).toBeGreaterThan(5);
      for (const holder of holders) {
        expect(holder.fullName).toMatch(/^\S\**( \S\**)*$/);
        if (holder.idNumber) expect(holder.idNumber).toMatch(/^\*{9}\d{3}$/);
        if (holder.birthYear) expect(holder.birthYear).toMatch(/^\d\d\*\*$/);
        expect(holder.address.startsWith('***, ')).toBe(true);
      }
      for (const person of raw.filter((p) => p.idNumber)) {
        expect(body).not.toContain(person.idNumber);
        expect(body).not.toContain(person.fullName);
      }
      expect(maskName('Nguyễn Văn A')).toBe('N*** V** A');
    });

    test('bad input: malformed identities are BAD_USER_INPUT naming the field; unknown codes NOT_FOUND', async () => {
      const bad = await h.gql(`{ landParcel(id: "598/1/1") { id } }`);
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      const commune = await h.gql(`{ landParcels(commune: "99999") { nodes { id } } }`);
      expect(commune.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const cases: [Record<string, unknown>, string, string | null][] = [
        [{ parcelIds: ['00598/1/1', '00598/x/2'] }, 'BAD_USER_INPUT', 'input.parcelIds[1]'],
        [{ dossierCode: '2017-0007' }, 'BAD_USER_INPUT', 'input.dossierCode'],
        [{ results: [{ area: '10.25' }, { area: '1.0' }] }, 'BAD_USER_INPUT', 'input.results[0].area'],
        [{ parcelIds: ['00598/999/1'] }, 'NOT_FOUND', null],
      ];
      for (const [over, code, field] of cases) {
        const r = await asOfficial(CHANGE, {
          input: {
            dossierCode: DOSSIER,
            kind: 'SPLIT',
            date: '2026-03-02',
            parcelIds: ['00598/1/1'],
            results: [{ area: '1.0' }, { area: '2.0' }],
            ...over,
          },
        });
        expect(r.data).toBeNull();
        expect(r.errors![0]!.extensions!.code).toBe(code);
        if (field) expect(r.errors![0]!.extensions!.field).toBe(field);
      }
    });

    test('a failing change writes nothing; a split retires its source and reissues the certificate', async () => {
      const before = async () => [
        await count('SELECT count(*)::int AS n FROM land_changes'),
        await count('SELECT count(*)::int AS n FROM land_parcels'),
        await count('SELECT count(*)::int AS n FROM land_certificates WHERE cancelled_on IS NULL'),
      ];
      const source = (
        await asOfficial(`{ landParcel(id: "00598/1/1") { area certificates { holders { fullName } } } }`, {})
      ).data!.landParcel;
      const whole = tenths(source.area);
      const first = whole / 3n;
      const parts = [first, whole - first].map((t) => `${t / 10n}.${t % 10n}`);
      const counts = await before();
      // Fails after the change row is written (parcel number 2 is taken): everything rolls back.
      const taken = await asOfficial(CHANGE, {
        input: {
          dossierCode: DOSSIER,
          kind: 'SPLIT',
          date: '2026-03-02',
          parcelIds: ['00598/1/1'],
          results: [{ area: parts[0], parcelNumber: 2 }, { area: parts[1] }],
        },
      });
      expect(taken.errors![0]!.extensions!.code).toBe('CONFLICT');
      const wrongSum = await asOfficial(CHANGE, {
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

      const ok = await asOfficial(CHANGE, {
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
      const again = await asOfficial(CHANGE, {
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
      const r = await asOfficial(CHANGE, {
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

    test('certificates by role: the holder and the issuing district see the new holder unmasked; others see none or masked', async () => {
      const Q = `{ landParcel(id: "00595/1/1") { id area certificates { origin holders { fullName idNumber } } } }`;
      const unmasked = [
        { origin: 'TRANSFERRED', holders: [{ fullName: 'Nguyễn Văn A', idNumber: '001085012345' }] },
      ];
      const seen = async (caller: Parameters<Harness['gql']>[2]) =>
        (await h.gql(Q, {}, caller)).data!.landParcel;
      expect((await seen(callers.citizen('001085012345'))).certificates).toEqual(unmasked);
      expect((await seen(callers.official(BAC_TU_LIEM))).certificates).toEqual(unmasked);
      expect((await seen(callers.admin)).certificates).toEqual(unmasked);
      // The parcel itself is public; certificates are not.
      const anonymous = await seen(callers.anonymous);
      expect(anonymous.id).toBe('00595/1/1');
      expect(anonymous.certificates).toEqual([]);
      expect((await seen(callers.citizen('001085099999'))).certificates).toEqual([]);
      expect((await seen(callers.official('000.00.46.H62'))).certificates).toEqual([]);
      expect((await seen(callers.partner(BAC_TU_LIEM, 'dossiers:read'))).certificates).toEqual([]);
      expect((await seen(callers.partner(BAC_TU_LIEM, 'land:read'))).certificates[0].holders).toEqual([
        { fullName: 'N*** V** A', idNumber: '*********345' },
      ]);
    });

    test("registering a change needs an official of the dossier's agency: nothing is written otherwise", async () => {
      const changes = await count('SELECT count(*)::int AS n FROM land_changes');
      const input = {
        dossierCode: DOSSIER,
        kind: 'CHANGE_OF_USE',
        date: '2026-05-04',
        parcelIds: ['00595/1/2'],
        landUseCode: 'ODT',
      };
      const refusals: [Parameters<Harness['gql']>[2], string][] = [
        [callers.anonymous, 'UNAUTHENTICATED'],
        [callers.citizen('001085012345'), 'FORBIDDEN'],
        [callers.analyst, 'FORBIDDEN'],
        [callers.admin, 'FORBIDDEN'],
        [callers.official('000.00.46.H62'), 'FORBIDDEN'],
      ];
      for (const [caller, code] of refusals) {
        const r = await h.gql(CHANGE, { input }, caller);
        expect(r.data).toBeNull();
        expect(r.errors![0]!.extensions).toMatchObject({ code, field: 'input.dossierCode' });
      }
      expect(await count('SELECT count(*)::int AS n FROM land_changes')).toBe(changes);
    });

    test('no N+1: 100 parcels with certificates, holders, overlays, communes and history in a fixed number of queries', async () => {
      const q = `{ landParcels(commune: "00598", includePredecessors: true, first: 100) { nodes { id area commune { id } currentCommune { id }
        planningOverlays { area share } history { kind fromParcels { id } dossier { code } }
        certificates(includeCancelled: true) { issueSerial holders { fullName } parcel { id } } } } }`;
      const start = h.db.roundTrips;
      const r = await h.gql(q);
      expect(r.errors).toBeUndefined();
      expect(r.data!.landParcels.nodes).toHaveLength(100);
      // unit by code, the page, crosswalk, overlays, certificates, holders, history, change sides (+ parcel reload)
      expect(h.db.roundTrips - start).toBeLessThanOrEqual(9);
    });

    test('land statistics: batched for many communes, area by land use adds up exactly, digitisation grows', async () => {
      const units = ['00595@2014-04-01', LIEN_MAC, '08794@2000-01-01', THUONG_CAT_2025];
      const q = `query($reps: [_Any!]!, $on: Date) { _entities(representations: $reps) { ... on AdministrativeUnit { id
        landStats(asOf: $on) { parcelCount totalArea digitisedCount digitisedRatio byLandUse { code name parcelCount area share } } } } }`;
      const reps = units.map((id) => ({ __typename: 'AdministrativeUnit', id }));
      const start = h.db.roundTrips;
      const now = await h.gql(q, { reps, on: '2025-06-30' });
      expect(h.db.roundTrips - start).toBe(1);
      expect(now.errors).toBeUndefined();
      const early = await h.gql(q, { reps, on: '2016-01-01' });
      for (const [i, s] of now.data!._entities.entries()) {
        const stats = s.landStats;
        expect(stats.parcelCount).toBeGreaterThan(0);
        const sum = stats.byLandUse.reduce((t: bigint, b: { area: string }) => t + tenths(b.area), 0n);
        expect(sum).toBe(tenths(stats.totalArea));
        expect(stats.byLandUse.reduce((t: number, b: { parcelCount: number }) => t + b.parcelCount, 0)).toBe(
          stats.parcelCount,
        );
        expect(early.data!._entities[i].landStats.digitisedRatio).toBeLessThan(stats.digitisedRatio);
      }
      const [a, b, , merged] = now.data!._entities.map((e: any) => e.landStats.parcelCount);
      expect(merged).toBeGreaterThan(a + b); // whole wards plus the parts of divided ones
      const residential = now.data!._entities[2].landStats.byLandUse.map((x: { code: string }) => x.code);
      expect(residential.slice(0, 4)).toEqual(expect.arrayContaining(['LUC']));
    });
  });
}
