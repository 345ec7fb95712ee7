/**
 * The dossiers subgraph's writes, part of its data suite (data-suite.ts): due dates in working days,
 * bad input, the state machine, nothing half-written, concurrent receipts.
 */
import { callers } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import { DIEN_BIEN_PHU } from '../../seed';
import { LAP_THACH, RECEIVE, receiveInput } from './fixtures';

const VINH_PHUC = '000.00.00.H62';

export function writeTests(harness: () => TestSubgraph): void {
  // Every write here is Lập Thạch's: made by one of its officials (the only callers who may).
  const official = callers.official(LAP_THACH);
  let h: Pick<TestSubgraph, 'gql' | 'db'>;
  beforeAll(() => {
    const sub = harness();
    h = { db: sub.db, gql: (q, v, caller) => sub.gql(q, v, caller ?? official) };
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

  test('bad input: malformed codes are BAD_USER_INPUT naming the field; an unknown one is null to a lookup, NOT_FOUND to a mutation', async () => {
    const bad = await h.gql(`{ dossierStatus(code: "HS-2024-1") { code } }`);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const unknown = await h.gql(`{ dossier(code: "000.00.46.H62-170101-9999") { code } }`);
    expect(unknown).toEqual({ data: { dossier: null } });
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

  test('writes need an official of the agency concerned: anonymous, a citizen, an admin and another district are refused before anything is written', async () => {
    const count = async () =>
      (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossiers'))[0]!.n;
    const before = await count();
    const refusals: [Parameters<TestSubgraph['gql']>[2], string][] = [
      [callers.anonymous, 'UNAUTHENTICATED'],
      [callers.citizen('026090123456'), 'FORBIDDEN'],
      [callers.admin, 'FORBIDDEN'],
      [callers.analyst, 'FORBIDDEN'],
      [callers.partner(LAP_THACH, 'dossiers:read'), 'FORBIDDEN'],
      [callers.official(DIEN_BIEN_PHU), 'FORBIDDEN'],
    ];
    for (const [caller, code] of refusals) {
      const r = await h.gql(RECEIVE, { input: receiveInput() }, caller);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code, field: 'input.agencyCode' });
      expect(r.errors?.[0]?.message).toContain(LAP_THACH);
      expect(r.data).toBeNull();
    }
    expect(await count()).toBe(before);
    // The province above Lập Thạch (Vĩnh Phúc) may; so may its transitions, by the code's agency.
    const ok = await h.gql(RECEIVE, { input: receiveInput() }, callers.official(VINH_PHUC));
    expect(ok.errors).toBeUndefined();
    const code = ok.data!.receiveDossier.code as string;
    const other = await h.gql(
      `mutation { advanceDossierStatus(input: { code: "${code}", status: DANG_XU_LY }) { status } }`,
      {},
      callers.official(DIEN_BIEN_PHU),
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.code' });
    const [row] = await h.db.query<{ status: string }>('SELECT status FROM dossiers WHERE code = $1', [code]);
    expect(row!.status).toBe('DUOC_TIEP_NHAN');
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
    expect((await advance('DANG_XU_LY', '2025-03-03T10:00:00+07:00')).data!.advanceDossierStatus.status).toBe(
      'DANG_XU_LY',
    );
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
    expect(illegal.errors![0]!.message).toContain('from YEU_CAU_BO_SUNG_GIAY_TO (5) to DA_TRA_KET_QUA (10)');
    expect(await h.db.query('SELECT status, due_date FROM dossiers WHERE code = $1', [code])).toEqual(before);
    expect(
      await h.db.query(
        'SELECT count(*)::int AS n FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id WHERE d.code = $1',
        [code],
      ),
    ).toEqual(steps);
    await advance('DANG_XU_LY', '2025-03-07T09:00:00+07:00');
    // (A result document is checked in the documents subgraph: test/dossiers.int.test.ts, federated.)
    const res = await h.gql(
      `mutation { recordDossierResult(input: { code: "${code}", at: "2025-03-11T15:00:00+07:00" }) {
        status timeliness resultDocument { id } } }`,
    );
    expect(res.data!.recordDossierResult).toEqual({
      status: 'DA_XU_LY_XONG',
      timeliness: 'TRUOC_HAN',
      resultDocument: null,
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

  test('an apology letter gives a new appointment date; the legal due date, and so timeliness, stay', async () => {
    const r = await h.gql(RECEIVE, { input: receiveInput({ receivedAt: '2025-04-07T09:00:00+07:00' }) });
    const code = r.data!.receiveDossier.code as string;
    const issue = (newAppointmentDate: string) =>
      h.gql(
        `mutation($i: IssueApologyLetterInput!) { issueApologyLetter(input: $i) { dueDate apologyLetters { reason newAppointmentDate } } }`,
        {
          i: {
            code,
            reason: 'Cần xác minh thêm với cơ quan nước ngoài',
            newAppointmentDate,
            at: '2025-04-11T08:00:00+07:00',
          },
        },
      );
    const early = await issue('2025-04-15'); // received on Giỗ Tổ Hùng Vương 7/4/2025: due 15/4
    expect(early.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.newAppointmentDate',
    });
    const ok = await issue('2025-04-18');
    expect(ok.data!.issueApologyLetter).toEqual({
      dueDate: '2025-04-15',
      apologyLetters: [
        { reason: 'Cần xác minh thêm với cơ quan nước ngoài', newAppointmentDate: '2025-04-18' },
      ],
    });
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
    const failed = await h.gql(
      RECEIVE,
      {
        input: receiveInput({
          agencyCode: '000.00.41.H44',
          procedureCode: '1.004012',
          receivedAt: `${day}T09:00:00+07:00`,
        }),
      },
      callers.official('000.00.41.H44'),
    );
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
}
