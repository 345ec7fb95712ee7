/** The documents data suite (data-suite.ts), part: Writes: number allocation, all-or-nothing mutations, invalid input, the incoming register's states. */
import { syntheticOfficial } from '../../../../kit/synthetic';
import { nextNumber } from '../../db/writes';
import { callers } from '../../../../kit/testing';
import { BTL, HANOI, THUONG_CAT, BA_DINH, issueInput, DAY_MS, daysAgo } from './documents';
import type { DocumentsSuite } from './documents';

export function writeTests(suite: DocumentsSuite): void {
  test('issuing allocates the next number in the yearly sequence, concurrently without duplicates', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        suite.issue({
          input: issueInput({
            agencyCode: BTL.replace('21', '05'),
            issuedDate: '2024-12-30',
            typeCode: i % 2 ? 'QĐ' : 'TB',
            subject: `Thông báo số ${i}`,
          }),
        }),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results
      .map((r) => r.data!.issueOutgoingDocument.number)
      .sort((a: number, b: number) => a - b);
    const [{ max }] = (await suite.h.db.query<{ max: number }>(
      `SELECT max(number)::int AS max FROM documents WHERE agency_code = $1 AND year = 2024 AND direction = 'OUTGOING'`,
      [BTL.replace('21', '05')],
    )) as [{ max: number }];
    expect(new Set(numbers).size).toBe(12);
    expect(numbers[11] - numbers[0]).toBe(11); // gap-free
    expect(numbers[11]).toBe(max);
    // A new year starts again at 1; legal normative documents carry the year in their symbol.
    // (Hà Nội's first months, 2008: the seed's documents start in 2010.)
    const y = await suite.issue({ input: issueInput({ legalNormative: true, issuedDate: '2008-09-02' }) });
    expect(y.data!.issueOutgoingDocument).toMatchObject({
      number: 1,
      numberSymbol: '1/2008/QĐ-UBND',
      exchangeId: '000.00.00.H26,2008/09/02,1/2008/QĐ-UBND',
    });
    const cv = await suite.issue({
      input: issueInput({
        typeCode: null,
        unitSymbol: 'KT',
        issuedDate: '2008-09-03',
        recipientCodes: [BA_DINH],
        recipientNames: ['Lưu: VT'],
      }),
    });
    expect(cv.data!.issueOutgoingDocument).toMatchObject({
      number: 2,
      numberSymbol: '2/UBND-KT',
      docType: { code: null, name: 'Công văn' },
      recipients: [
        { name: 'Ủy ban nhân dân quận Ba Đình', agency: { code: BA_DINH } },
        { name: 'Lưu: VT', agency: null },
      ],
    });
  });

  test('a failed mutation leaves nothing half-written', async () => {
    const before = await suite.h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents`);
    const bad = await suite.issue({
      input: issueInput({ issuedDate: '2009-05-05', recipientCodes: ['000.99.99.H99'] }),
    });
    expect(bad.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.recipientCodes',
    });
    const after = await suite.h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents`);
    expect(after[0]!.n).toBe(before[0]!.n);
    // A transaction that fails after taking a number gives the number back.
    await expect(
      suite.h.db.transaction(async (tx) => {
        await nextNumber(tx, HANOI, 2009, 'ALL');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const ok = await suite.issue({ input: issueInput({ issuedDate: '2009-05-06' }) });
    expect(ok.data!.issueOutgoingDocument.number).toBe(1);
  });

  test('invalid input is BAD_USER_INPUT naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ agencyCode: 'H26' }, 'input.agencyCode'],
      [{ typeCode: 'XYZ' }, 'input.typeCode'],
      [{ typeCode: null }, 'input.unitSymbol'],
      [{ subject: '   ' }, 'input.subject'],
      [{ electronic: false, digitallySigned: true }, 'input.digitallySigned'],
      [{ signer: { officialId: `${HANOI}/1`, competence: 'XX.' } }, 'input.signer.competence'],
      // Bắc Từ Liêm district ceased on 30 June 2025: it can neither issue nor receive after that.
      [{ agencyCode: BTL, issuedDate: '2025-07-01' }, 'input.agencyCode'],
      [{ recipientCodes: [BTL], issuedDate: '2025-08-01' }, 'input.recipientCodes'],
    ];
    for (const [over, field] of cases) {
      const r = await suite.issue({ input: issueInput(over) });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const badDate = await suite.issue({ input: issueInput({ issuedDate: '2024-02-30' }) });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(badDate)).not.toMatch(/at .*\.ts|stack/i);
  });

  test('incoming: register once (CONFLICT on duplicates), assign, and move through allowed states only', async () => {
    const REG = `mutation($i: RegisterIncomingDocumentInput!) { registerIncomingDocument(input: $i) { id arrivalNumber status numberSymbol issuer { code } } }`;
    const input = {
      agencyCode: BTL,
      issuerCode: HANOI,
      numberSymbol: '  77/QĐ-UBND ',
      issuedDate: '2024-12-20',
      receivedAt: '2024-12-21T08:00:00+07:00',
      dueDate: '2024-12-31',
      subject: 'Quyết định về việc giao dự toán ngân sách năm 2025',
      electronic: true,
    };
    const r1 = await suite.asBtl(REG, { i: input });
    expect(r1.errors).toBeUndefined();
    expect(r1.data!.registerIncomingDocument).toMatchObject({
      status: 'DA_VAO_SO',
      numberSymbol: '77/QĐ-UBND',
      issuer: { code: HANOI },
    });
    const dup = await suite.asBtl(REG, { i: { ...input, numberSymbol: '77/QĐ-UBND' } });
    expect(dup.errors![0]!.extensions!.code).toBe('CONFLICT');
    const badNumber = await suite.asBtl(REG, { i: { ...input, numberSymbol: '77-QĐ' } });
    expect(badNumber.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.numberSymbol',
    });

    // Received at 05:00 on 1 January 2024 in Vietnam (still 31 December in UTC): the 2024 register.
    const newYear = await suite.asBtl(REG, {
      i: {
        ...input,
        numberSymbol: '1/TB-UBND',
        issuedDate: '2023-12-31',
        dueDate: null,
        receivedAt: '2023-12-31T22:00:00Z',
      },
    });
    expect(newYear.errors).toBeUndefined();
    const [registered] = await suite.h.db.query<{ arrival_year: number }>(
      `SELECT arrival_year FROM documents WHERE id = $1`,
      [Number(newYear.data!.registerIncomingDocument.id)],
    );
    expect(registered!.arrival_year).toBe(2024);
    // Assignments are made today, to an official in post today: Thượng Cát (from 1 July 2025)
    // registers a document it received yesterday and assigns it.
    const asTc = (q: string, v: Record<string, unknown>) => suite.h.gql(q, v, callers.official(THUONG_CAT));
    const due = daysAgo(-30);
    const recent = await asTc(REG, {
      i: {
        ...input,
        agencyCode: THUONG_CAT,
        issuedDate: daysAgo(2),
        receivedAt: new Date(Date.now() - DAY_MS).toISOString(),
        dueDate: due,
      },
    });
    expect(recent.errors).toBeUndefined();
    const docId = recent.data!.registerIncomingDocument.id;
    const ASSIGN = `mutation($i: AssignDocumentInput!) { assignDocument(input: $i) { id state dueDate assigneeName assignee { id } document { status } } }`;
    // A name that is not the directory's is refused; the assignment carries the directory's.
    const wrongName = await asTc(ASSIGN, {
      i: { documentId: docId, assigneeName: 'Lê Thị Hà', assigneeId: `${THUONG_CAT}/4`, role: 'CHU_TRI' },
    });
    expect(wrongName.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.assigneeName',
    });
    const a = await asTc(ASSIGN, {
      i: { documentId: docId, assigneeId: `${THUONG_CAT}/4`, role: 'CHU_TRI' },
    });
    expect(a.data!.assignDocument).toMatchObject({
      state: 'DA_PHAN_CONG',
      dueDate: due,
      assigneeName: syntheticOfficial(THUONG_CAT, 4).fullName,
      assignee: { id: `${THUONG_CAT}/4` },
      document: { status: 'DA_PHAN_CONG' },
    });
    // Bắc Từ Liêm ended on 30 June 2025: its register is closed, and its officials left their posts.
    const gone = await suite.asBtl(ASSIGN, {
      i: { documentId: r1.data!.registerIncomingDocument.id, assigneeId: `${BTL}/4`, role: 'CHU_TRI' },
    });
    expect(gone.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.documentId' });
    expect(gone.errors![0]!.message).toContain(`agency ${BTL} does not exist on`);
    const left = await asTc(ASSIGN, { i: { documentId: docId, assigneeId: `${BTL}/4`, role: 'PHOI_HOP' } });
    expect(left.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.assigneeId' });
    const id = a.data!.assignDocument.id;
    const MOVE = `mutation($id: ID!, $s: AssignmentState!) { updateAssignmentState(id: $id, state: $s) { state completedAt document { status completedAt } } }`;
    const skip = await asTc(MOVE, { id, s: 'HOAN_THANH' });
    expect(skip.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'state' });
    expect((await asTc(MOVE, { id, s: 'DANG_XU_LY' })).data!.updateAssignmentState.document.status).toBe(
      'DANG_XU_LY',
    );
    const done = await asTc(MOVE, { id, s: 'HOAN_THANH' });
    expect(done.data!.updateAssignmentState.state).toBe('HOAN_THANH');
    expect(done.data!.updateAssignmentState.document.status).toBe('HOAN_THANH');
    expect(done.data!.updateAssignmentState.document.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const missing = await asTc(MOVE, { id: '987654321', s: 'DANG_XU_LY' });
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
}
