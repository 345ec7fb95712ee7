/**
 * The land subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and against a
 * PostgreSQL server given by URL (data.services.test.ts): same SQL, same answers.
 */
import { formatParcelId } from '../../../../kit';
import { createdParcelIds, landChangePlan, seededParcels } from '../../../../kit/synthetic';
import type { Database } from '../../../../kit';
import { BOX_SQL, boxParams } from '../../db/reads';
import { maskName } from '../../../../kit';
import { callers } from '../../../../kit/testing';
import { seededCommunes } from '../../seed';
import { CHANGE, DOSSIER, tenths } from './fixtures';
import { changeGuardTests } from './change-guards';
import { landWriteTests } from './write-tests';
import { openHarness, TEST_SCALE } from './harness';
import type { Harness } from './harness';

const THUONG_CAT_2025 = '00598@2025-07-01'; // Phường Thượng Cát from 1 July 2025 (code of old Liên Mạc)
const LIEN_MAC = '00598@2014-04-01';
const TAY_TUU_OLD = '00607@2014-04-01'; // divided between four new units in 2025

export function landDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`land data (${label})`, () => {
    let h: Harness;
    const asOfficial = (q: string, v: Record<string, unknown>) =>
      h.gql(q, v, callers.official('000.00.21.H26'));
    beforeAll(async () => {
      h = await openHarness(await open());
    }, 120_000);
    afterAll(async () => h?.close());

    test('the seed holds exactly the parcels of the shared numbering plan, for every pre-2025 commune, and those the planned splits and merges created', async () => {
      const expected = seededCommunes().flatMap((u) =>
        [...seededParcels(u.code, TEST_SCALE)].map((p) => `${p.originalCommuneCode}/${p.sheet}/${p.parcel}`),
      );
      expected.push(...createdParcelIds(TEST_SCALE));
      const rows = await h.db.query<{ id: string }>('SELECT id FROM land_parcels ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual([...expected].sort());
      expect(seededCommunes().map((u) => u.code)).toEqual(
        expect.arrayContaining(['00595', '00598', '08761']),
      );
    });

    test('the seeded history is the shared plan: each change cites its dossier, areas add up exactly, sources retire', async () => {
      const plan = landChangePlan(TEST_SCALE);
      const kinds = new Set(plan.map((c) => c.kind));
      expect([...kinds].sort()).toEqual(['CHANGE_OF_USE', 'MERGE', 'SPLIT', 'TRANSFER']);
      const rows = await h.db.query<{
        kind: string;
        date: string;
        dossier: string;
        from: string[];
        to: string[];
      }>(
        `SELECT c.kind, c.change_date::text AS date, c.dossier_code AS dossier,
           array_agg(cp.parcel_id ORDER BY cp.parcel_id) FILTER (WHERE cp.role = 'FROM') AS from,
           array_agg(cp.parcel_id ORDER BY cp.parcel_id) FILTER (WHERE cp.role = 'TO') AS to
         FROM land_changes c JOIN land_change_parcels cp ON cp.change_id = c.id GROUP BY c.id ORDER BY c.dossier_code`,
      );
      expect(rows).toEqual(
        plan
          .map((c) => ({
            kind: c.kind,
            date: c.date,
            dossier: c.dossier.code,
            from: c.from.map(formatParcelId).sort(),
            to: c.to.map(formatParcelId).sort(),
          }))
          .sort((a, b) => (a.dossier < b.dossier ? -1 : 1)),
      );
      const parcels = new Map(
        (
          await h.db.query<{ id: string; area: string; retiredOn: string | null; active: number }>(
            `SELECT p.id, p.area_m2::text AS area, p.retired_on::text AS "retiredOn",
               (SELECT count(*)::int FROM land_certificates c WHERE c.parcel_id = p.id AND c.cancelled_on IS NULL) AS active
             FROM land_parcels p WHERE p.id = ANY($1::text[])`,
            [plan.flatMap((c) => [...c.from, ...c.to].map(formatParcelId))],
          )
        ).map((p) => [p.id, p]),
      );
      const sum = (ids: string[]) => ids.reduce((t, id) => t + tenths(parcels.get(id)!.area), 0n);
      for (const c of plan.filter((x) => x.kind === 'SPLIT' || x.kind === 'MERGE')) {
        const [from, to] = [c.from.map(formatParcelId), c.to.map(formatParcelId)];
        expect(sum(to)).toBe(sum(from));
        for (const id of from) expect(parcels.get(id)).toMatchObject({ retiredOn: c.date, active: 0 });
        for (const id of to) expect(parcels.get(id)).toMatchObject({ retiredOn: null, active: 1 });
      }
      // A transfer's new certificate names the dossier's applicant (masked in responses, raw here).
      const transfer = plan.find((c) => c.kind === 'TRANSFER')!;
      const [holder] = await h.db.query<{ idNumber: string; issued: string }>(
        `SELECT h.id_number AS "idNumber", c.issue_date::text AS issued FROM land_certificates c
         JOIN land_certificate_holders h ON h.certificate_id = c.id WHERE c.parcel_id = $1 AND c.cancelled_on IS NULL`,
        [formatParcelId(transfer.from[0]!)],
      );
      expect(holder).toEqual({ idNumber: transfer.dossier.applicant.idNumber, issued: transfer.date });
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
      expect(old.nodes).toHaveLength(52);
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
      expect(nodes).toHaveLength(20);
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
      for (const [args, field] of [
        ['originalCommuneCode: "598", sheet: 1, parcel: 1', 'originalCommuneCode'],
        ['originalCommuneCode: "00598", sheet: 0, parcel: 1', 'sheet'],
        ['originalCommuneCode: "00598", sheet: 1, parcel: -3', 'parcel'],
      ]) {
        const r = await h.gql(`{ landParcelByIdentity(${args}) { id } }`);
        expect(r.data!.landParcelByIdentity).toBeNull();
        expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
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
            date: '2025-06-16',
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
      expect(
        now.data!._entities.map((s: { landStats: { parcelCount: number } }) => s.landStats.parcelCount),
      ).toEqual([76, 54, 72, 229]);
      for (const [i, s] of now.data!._entities.entries()) {
        const stats = s.landStats;
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

    landWriteTests(() => h);
    changeGuardTests(() => h);
  });
}
