/**
 * The dossiers subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and a
 * PostgreSQL server given by URL (data.services.test.ts): published figures, masking, filters, parcels
 * and batching (round trips) here; writes in write-tests.ts, on the same seeded database.
 */
import { formatParcelId } from '../../../../kit';
import { landChangePlan } from '../../../../kit/synthetic';
import type { Database } from '../../../../kit';
import { callers, startTestSubgraph } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import { BAC_NINH, DIEN_BIEN_PHU } from '../../seed';
import { dossiers } from '../../subgraph';
import { LAP_THACH, RECEIVE, receiveInput } from './fixtures';
import { writeTests } from './write-tests';

export const TEST_SCALE = 0.05;
const YEAR_2013 = { from: '2013-01-01', to: '2013-12-31' };

const STATS = `query($reps: [_Any!]!, $p: PeriodInput!, $sub: Boolean) { _entities(representations: $reps) {
  ... on Agency { code dossierStats(period: $p, includeSubordinates: $sub) {
    carriedOver received receivedOnline receivedInPerson receivedByPost resolved resolvedEarly resolvedOnTime resolvedLate
    inProcessWithinDeadline inProcessOverdue pausedForSupplement pausedForPayment stopped withdrawn onTimeRatio onlineRatio } } } }`;

export function dossiersDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`dossiers data (${label})`, () => {
    let h: TestSubgraph;
    beforeAll(async () => {
      // Reads as an analyst (every dossier, personal data masked); writes as an official of the agency.
      h = await startTestSubgraph(dossiers, { db: await open(), scale: TEST_SCALE, caller: callers.analyst });
    }, 180_000);
    afterAll(async () => h?.close());

    const stats = async (codes: string[], p: { from: string; to: string }, sub = false) => {
      const r = await h.gql(STATS, { reps: codes.map((code) => ({ __typename: 'Agency', code })), p, sub });
      expect(r.errors).toBeUndefined();
      return r.data!._entities as { code: string; dossierStats: Record<string, number | null> }[];
    };

    test('Lập Thạch 2017: 96% of dossiers resolved on time (published figure), grid adds up', async () => {
      const [s] = await stats([LAP_THACH], { from: '2017-01-01', to: '2017-12-31' });
      const g = s!.dossierStats as Record<string, number>;
      expect(g.onTimeRatio).toBe(0.96);
      expect(g.resolved).toBeGreaterThanOrEqual(25);
      expect((g.resolvedEarly! + g.resolvedOnTime!) / g.resolved!).toBe(0.96);
      expect(g.resolvedEarly! + g.resolvedOnTime! + g.resolvedLate!).toBe(g.resolved);
      expect(g.receivedOnline! + g.receivedInPerson! + g.receivedByPost!).toBe(g.received);
      expect(g.onlineRatio).toBeCloseTo(g.receivedOnline! / g.received!, 4);
    });

    test('Điện Biên Phủ 2013: 39 online public services (level ≥ 3); Bắc Ninh 2013: three at level 3', async () => {
      const r = await h.gql(
        `query($p: PeriodInput!) {
          dbp: procedures(filter: { agencyCode: "${DIEN_BIEN_PHU}", minOnlineLevel: 3, period: $p }, first: 100) { totalCount nodes { code } }
          bn: procedures(filter: { agencyCode: "${BAC_NINH}", onlineLevel: 3, period: $p }) { totalCount nodes { name onlineLevel(asOf: "2013-12-31") } }
          bnAbove: procedures(filter: { agencyCode: "${BAC_NINH}", minOnlineLevel: 3, period: $p }) { totalCount }
        }`,
        { p: YEAR_2013 },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.dbp.totalCount).toBe(39);
      expect(r.data!.dbp.nodes).toHaveLength(39);
      expect(r.data!.bn.nodes.map((n: { name: string }) => n.name).sort()).toEqual([
        'Cấp chứng chỉ hành nghề y, dược tư nhân',
        'Cấp giấy phép xây dựng công trình',
        'Giải quyết khiếu nại, tố cáo',
      ]);
      expect(r.data!.bn.nodes.every((n: { onlineLevel: number }) => n.onlineLevel === 3)).toBe(true);
      expect(r.data!.bnAbove.totalCount).toBe(3);
      // The same count through the Agency entity
      const e = await h.gql(
        `query($p: PeriodInput!) { _entities(representations: [{ __typename: "Agency", code: "${DIEN_BIEN_PHU}" }]) {
          ... on Agency { procedures(filter: { minOnlineLevel: 3, period: $p }) { totalCount } } } }`,
        { p: YEAR_2013 },
      );
      expect(e.data!._entities[0].procedures.totalCount).toBe(39);
    });

    test('personal data: unmasked for the receiving official, masked for an analyst; the portal lookup has none', async () => {
      const r = await h.gql(RECEIVE, { input: receiveInput() }, callers.official(LAP_THACH));
      expect(r.errors).toBeUndefined();
      const d = r.data!.receiveDossier;
      expect(d.applicant).toEqual({
        kind: 'CONG_DAN',
        name: 'Nguyễn Văn An',
        idNumber: '026090123456',
        phone: '0912345678',
        address: 'Số 5 đường Hùng Vương, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
      });
      const seen = await h.gql(
        `query($c: ID!) { dossier(code: $c) { applicant { kind name idNumber phone address } } }`,
        { c: d.code },
      );
      expect(seen.data!.dossier.applicant).toEqual({
        kind: 'CONG_DAN',
        name: 'N*** V** A*',
        idNumber: '*********456',
        phone: '*********678',
        address: '***, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
      });
      const list = await h.gql(`{ dossiers(first: 50) { nodes { applicant { name idNumber phone } } } }`);
      for (const n of list.data!.dossiers.nodes) {
        expect(n.applicant.idNumber).toMatch(/^\*{9}\d{3}$/);
        expect(n.applicant.name).toMatch(/^(\S\**)( \S\**)*$/u);
      }
      const pub = await h.gql(
        `query($c: String!) { dossierStatus(code: $c) { code status statusCode dueDate } }`,
        { c: d.code },
      );
      expect(pub.data!.dossierStatus).toEqual({
        code: d.code,
        status: 'DUOC_TIEP_NHAN',
        statusCode: 2,
        dueDate: d.dueDate,
      });
      const leak = await h.gql(`query($c: String!) { dossierStatus(code: $c) { applicant { name } } }`, {
        c: d.code,
      });
      expect(leak.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    test('seeded land dossiers: the planned ones exist as planned, and none names a parcel that did not exist then', async () => {
      const plan = landChangePlan(TEST_SCALE);
      const rows = await h.db.query<{
        code: string;
        parcelId: string;
        day: string;
        finished: string;
        returned: string;
      }>(
        `SELECT code, parcel_id AS "parcelId", (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS day,
           (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS finished,
           (returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS returned
         FROM dossiers WHERE parcel_id IS NOT NULL`,
      );
      const byCode = new Map(rows.map((r) => [r.code, r]));
      for (const c of plan)
        expect(byCode.get(c.dossier.code)).toEqual({
          code: c.dossier.code,
          parcelId: formatParcelId(c.dossier.parcel),
          day: c.dossier.receivedOn,
          finished: c.dossier.finishedOn,
          returned: c.dossier.returnedOn,
        });
      const lifetime = new Map<string, { from?: string; to?: string }>();
      for (const c of plan.filter((x) => x.kind === 'SPLIT' || x.kind === 'MERGE')) {
        for (const p of c.from)
          lifetime.set(formatParcelId(p), { ...lifetime.get(formatParcelId(p)), to: c.date });
        for (const p of c.to) lifetime.set(formatParcelId(p), { from: c.date });
      }
      expect(rows.filter((r) => lifetime.get(r.parcelId)?.from)).toHaveLength(4); // 4 follow a split or merge
      for (const r of rows) {
        const life = lifetime.get(r.parcelId);
        if (life?.from) expect(r.day >= life.from).toBe(true);
        if (life?.to) expect(r.day < life.to).toBe(true);
      }
    });

    writeTests(() => h);

    test('no N+1: 100 dossiers with procedures, steps and parcels, and stats of many agencies, in a few round trips', async () => {
      const q = `{ dossiers(first: 100) { nodes { code procedure { code name onlineLevel field { name } } applicant { name }
        steps { status official { id } } supplementRequests { newDueDate } apologyLetters { newAppointmentDate } parcel { id } } } }`;
      const t0 = h.db.roundTrips;
      const r = await h.gql(q);
      expect(r.errors).toBeUndefined();
      expect(r.data!.dossiers.nodes).toHaveLength(100);
      expect(h.db.roundTrips - t0).toBeLessThanOrEqual(6);
      const codes = (
        await h.db.query<{ code: string }>(`SELECT code FROM agencies WHERE level <> 'CENTRAL' ORDER BY code`)
      ).map((a) => a.code);
      expect(codes.length).toBeGreaterThan(40);
      const t1 = h.db.roundTrips;
      const s = await stats(codes, { from: '2020-01-01', to: '2020-12-31' }, true);
      expect(s).toHaveLength(codes.length);
      // Three, however many agencies: the longest stay of a closed dossier (db/stats.ts reads it first,
      // so the year bounds are constants when the statement is planned), the one statement, and the
      // longest stay again (a record closed meanwhile would make the statement run again).
      expect(h.db.roundTrips - t1).toBe(3);
    });

    test('parcels: land dossiers point at seeded parcels and LandParcel.dossiers pages them back', async () => {
      const [row] = await h.db.query<{ parcel_id: string; n: number }>(
        `SELECT parcel_id, count(*)::int AS n FROM dossiers WHERE parcel_id IS NOT NULL GROUP BY parcel_id ORDER BY n DESC, parcel_id LIMIT 1`,
      );
      expect(row!.parcel_id).toMatch(/^\d{5}\/\d+\/\d+$/);
      const r = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on LandParcel { id dossiers(first: 100) { nodes { code parcel { id } procedure { landRelated } } } } } }`,
        {
          reps: [{ __typename: 'LandParcel', id: row!.parcel_id }],
        },
      );
      expect(r.errors).toBeUndefined();
      const nodes = r.data!._entities[0].dossiers.nodes;
      expect(nodes).toHaveLength(row!.n);
      expect(
        nodes.every(
          (n: { parcel: { id: string }; procedure: { landRelated: boolean } }) =>
            n.parcel.id === row!.parcel_id && n.procedure.landRelated,
        ),
      ).toBe(true);
    });

    test('filters: agency with subordinates, status and derived timeliness agree with stats', async () => {
      const all = async (filter: Record<string, unknown>) => {
        let after: string | null = null;
        let n = 0;
        do {
          const p: any = await h.gql(
            `query($f: DossierFilter, $a: String) { dossiers(filter: $f, first: 100, after: $a) { nodes { code timeliness agency { code } } pageInfo { hasNextPage endCursor } } }`,
            { f: filter, a: after },
          );
          expect(p.errors).toBeUndefined();
          n += p.data.dossiers.nodes.length;
          after = p.data.dossiers.pageInfo.hasNextPage ? p.data.dossiers.pageInfo.endCursor : null;
        } while (after);
        return n;
      };
      const own = await all({ agencyCode: LAP_THACH, receivedFrom: '2017-01-01', receivedTo: '2017-12-31' });
      const withCommunes = await all({
        agencyCode: LAP_THACH,
        includeSubordinates: true,
        receivedFrom: '2017-01-01',
        receivedTo: '2017-12-31',
      });
      expect(withCommunes).toBeGreaterThan(own);
      const late = await all({
        agencyCode: LAP_THACH,
        timeliness: 'QUA_HAN',
        receivedFrom: '2017-01-01',
        receivedTo: '2017-12-31',
      });
      const [byDates] = await h.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dossiers WHERE agency_code = $1 AND received_at >= '2017-01-01' AND received_at < '2018-01-01'
           AND (finished_at::date > due_date OR (finished_at IS NULL AND ended_at IS NULL AND due_date < CURRENT_DATE))`,
        [LAP_THACH],
      );
      expect(late).toBe(byDates!.n);
      expect(late).toBeGreaterThan(0);
      const [s] = await stats([LAP_THACH], { from: '2017-01-01', to: '2017-12-31' });
      const rejected = await h.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dossiers WHERE agency_code = $1 AND status = 'KHONG_DUOC_TIEP_NHAN' AND received_at >= '2017-01-01' AND received_at < '2018-01-01'`,
        [LAP_THACH],
      );
      expect(own).toBe((s!.dossierStats.received as number) + rejected[0]!.n);
    });
  });
}
