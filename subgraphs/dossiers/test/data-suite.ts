/**
 * The dossiers subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and a
 * PostgreSQL server given by URL (data.services.test.ts): published figures, masking, bad input, the
 * state machine, concurrency of receipts, and batching (round trips).
 */
import type { Database } from '../../../kit/db';
import { startTestSubgraph } from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { BAC_NINH, DIEN_BIEN_PHU } from '../seed';
import { dossiers } from '../subgraph';

export const TEST_SCALE = 0.05;
const LAP_THACH = '000.00.46.H62';
const YEAR_2013 = { from: '2013-01-01', to: '2013-12-31' };

const STATS = `query($reps: [_Any!]!, $p: PeriodInput!, $sub: Boolean) { _entities(representations: $reps) {
  ... on Agency { code dossierStats(period: $p, includeSubordinates: $sub) {
    carriedOver received receivedOnline receivedInPerson receivedByPost resolved resolvedEarly resolvedOnTime resolvedLate
    inProcessWithinDeadline inProcessOverdue pausedForSupplement pausedForPayment stopped withdrawn onTimeRatio onlineRatio } } } }`;

const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
  code status statusCode dueDate receivedAt timeliness procedure { code processingDays } applicant { kind name idNumber phone address }
  steps { status action } } }`;

export const receiveInput = (over: Record<string, unknown> = {}) => ({
  agencyCode: LAP_THACH,
  procedureCode: '1.000656',
  channel: 'TRUC_TIEP',
  summary: 'Đăng ký khai sinh có yếu tố nước ngoài cho con',
  applicant: {
    kind: 'CONG_DAN',
    name: 'Nguyễn Văn An',
    idNumber: '026090123456',
    phone: '0912345678',
    address: 'Số 5 đường Hùng Vương, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
  },
  receivedAt: '2024-02-07T10:00:00+07:00',
  ...over,
});

export function dossiersDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`dossiers data (${label})`, () => {
    let h: TestSubgraph;
    beforeAll(async () => {
      h = await startTestSubgraph(dossiers, { db: await open(), scale: TEST_SCALE });
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

    test('personal data is masked in every response; the portal lookup has none', async () => {
      const r = await h.gql(RECEIVE, { input: receiveInput() });
      expect(r.errors).toBeUndefined();
      const d = r.data!.receiveDossier;
      expect(d.applicant).toEqual({
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

    test('due dates count working days across Tết, 30/4–1/5, 2/9 and a make-up Saturday', async () => {
      // 1.000656 (khai sinh có yếu tố nước ngoài) takes 5 working days; 1.000738 (khai tử) takes 3.
      const cases: [string, string, string][] = [
        ['2024-02-07T10:00:00+07:00', '1.000656', '2024-02-21'], // Tết Giáp Thìn, off 8–14/2
        ['2025-04-29T09:00:00+07:00', '1.000738', '2025-05-07'], // 30/4–1/5 2025 and Friday 2/5 swapped off (3 days)
        ['2024-08-30T09:00:00+07:00', '1.000738', '2024-09-06'], // Quốc khánh 2–3/9/2024 (3 days)
        ['2024-04-26T09:00:00+07:00', '1.000738', '2024-05-04'], // make-up Saturday 4/5/2024 (3 days)
      ];
      for (const [receivedAt, procedureCode, due] of cases) {
        const r = await h.gql(RECEIVE, { input: receiveInput({ receivedAt, procedureCode }) });
        expect(r.errors).toBeUndefined();
        expect([receivedAt, r.data!.receiveDossier.dueDate]).toEqual([receivedAt, due]);
      }
    });

    test('bad input: malformed codes are BAD_USER_INPUT naming the field, unknown ones NOT_FOUND', async () => {
      const bad = await h.gql(`{ dossierStatus(code: "HS-2024-1") { code } }`);
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
      const unknown = await h.gql(`{ dossier(code: "000.00.46.H62-170101-9999") { code } }`);
      expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const proc = await h.gql(RECEIVE, { input: receiveInput({ procedureCode: '1.999999' }) });
      expect(proc.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const parcel = await h.gql(RECEIVE, {
        input: receiveInput({ procedureCode: '1.000738', parcelId: '8761/0/1' }),
      });
      expect(parcel.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.parcelId',
      });
      const id = await h.gql(RECEIVE, {
        input: receiveInput({ applicant: { kind: 'CONG_DAN', name: 'Lê Thị Hoa', idNumber: '12ab' } }),
      });
      expect(id.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.applicant.idNumber',
      });
      const adv = await h.gql(
        `mutation { advanceDossierStatus(input: { code: "000.00.46.H62-17010-0001", status: DANG_XU_LY }) { code } }`,
      );
      expect(adv.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
    });

    test('state machine: a legal path works; an illegal transition is ILLEGAL_TRANSITION and changes nothing', async () => {
      const r = await h.gql(RECEIVE, { input: receiveInput({ receivedAt: '2025-03-03T09:00:00+07:00' }) });
      const code = r.data!.receiveDossier.code as string;
      const advance = (status: string, at: string) =>
        h.gql(
          `mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { status dueDate finishedAt steps { status } } }`,
          {
            i: { code, status, at },
          },
        );
      expect(
        (await advance('DANG_XU_LY', '2025-03-03T10:00:00+07:00')).data!.advanceDossierStatus.status,
      ).toBe('DANG_XU_LY');
      const sup = await h.gql(
        `mutation($i: RequestSupplementInput!) { requestSupplement(input: $i) { status dueDate supplementRequests { previousDueDate newDueDate reason } } }`,
        { i: { code, reason: 'Thiếu bản sao giấy chứng sinh', at: '2025-03-05T09:00:00+07:00' } },
      );
      expect(sup.data!.requestSupplement).toEqual({
        status: 'YEU_CAU_BO_SUNG_GIAY_TO',
        dueDate: '2025-03-12', // five working days counted again from 5/3
        supplementRequests: [
          {
            previousDueDate: '2025-03-10',
            newDueDate: '2025-03-12',
            reason: 'Thiếu bản sao giấy chứng sinh',
          },
        ],
      });
      const before = await h.db.query('SELECT status, due_date FROM dossiers WHERE code = $1', [code]);
      const steps = await h.db.query(
        'SELECT count(*)::int AS n FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id WHERE d.code = $1',
        [code],
      );
      const illegal = await advance('DA_TRA_KET_QUA', '2025-03-06T09:00:00+07:00');
      expect(illegal.errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
      expect(illegal.errors![0]!.message).toContain(
        'from YEU_CAU_BO_SUNG_GIAY_TO (5) to DA_TRA_KET_QUA (10)',
      );
      expect(await h.db.query('SELECT status, due_date FROM dossiers WHERE code = $1', [code])).toEqual(
        before,
      );
      expect(
        await h.db.query(
          'SELECT count(*)::int AS n FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id WHERE d.code = $1',
          [code],
        ),
      ).toEqual(steps);
      await advance('DANG_XU_LY', '2025-03-07T09:00:00+07:00');
      const res = await h.gql(
        `mutation { recordDossierResult(input: { code: "${code}", resultDocumentId: "42", at: "2025-03-11T15:00:00+07:00" }) {
          status timeliness resultDocument { id } } }`,
      );
      expect(res.data!.recordDossierResult).toEqual({
        status: 'DA_XU_LY_XONG',
        timeliness: 'TRUOC_HAN',
        resultDocument: { id: '42' },
      });
      const ret = await h.gql(
        `mutation { returnDossierResult(input: { code: "${code}", at: "2025-03-12T09:00:00+07:00" }) { status statusCode returnedAt steps { status } } }`,
      );
      expect(ret.data!.returnDossierResult.statusCode).toBe(10);
      expect(ret.data!.returnDossierResult.steps.map((s: { status: string }) => s.status)).toEqual([
        'DUOC_TIEP_NHAN',
        'DANG_XU_LY',
        'YEU_CAU_BO_SUNG_GIAY_TO',
        'DANG_XU_LY',
        'DA_XU_LY_XONG',
        'DA_TRA_KET_QUA',
      ]);
      const again = await advance('DANG_XU_LY', '2025-03-13T09:00:00+07:00');
      expect(again.errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
    });

    test('a failed receipt writes nothing and gives its number back', async () => {
      const day = '2025-03-09'; // a Sunday: the seed receives nothing then
      const counter = () =>
        h.db.query('SELECT last_seq FROM dossier_code_counters WHERE agency_code = $1 AND day = $2', [
          LAP_THACH,
          day,
        ]);
      const ok1 = await h.gql(RECEIVE, { input: receiveInput({ receivedAt: `${day}T08:00:00+07:00` }) });
      const n = await h.db.query('SELECT count(*)::int AS n FROM dossiers');
      const before = await counter();
      // The agency does not exist yet at that date → rejected inside the transaction.
      const failed = await h.gql(RECEIVE, {
        input: receiveInput({
          agencyCode: '000.00.41.H44',
          procedureCode: '1.004012',
          receivedAt: `${day}T09:00:00+07:00`,
        }),
      });
      expect(failed.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.receivedAt',
      });
      expect(await h.db.query('SELECT count(*)::int AS n FROM dossiers')).toEqual(n);
      expect(await counter()).toEqual(before);
      const ok2 = await h.gql(RECEIVE, { input: receiveInput({ receivedAt: `${day}T10:00:00+07:00` }) });
      expect([ok1.data!.receiveDossier.code, ok2.data!.receiveDossier.code]).toEqual([
        `${LAP_THACH}-250309-0001`,
        `${LAP_THACH}-250309-0002`,
      ]);
    });

    test('20 concurrent receipts of one agency and day (a Sunday, empty in the seed) get 20 distinct, consecutive codes', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          h.gql(RECEIVE, {
            input: receiveInput({ receivedAt: `2025-06-01T09:${String(i).padStart(2, '0')}:00+07:00` }),
          }),
        ),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const codes = results.map((r) => r.data!.receiveDossier.code as string).sort();
      expect(codes).toEqual(
        Array.from({ length: 20 }, (_, i) => `${LAP_THACH}-250601-${String(i + 1).padStart(4, '0')}`),
      );
    });

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
      expect(h.db.roundTrips - t1).toBe(1);
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
