/**
 * Issue 14, findings 3, 4 (dossiers) and 11a, written from their descriptions, through the gateway:
 * each attacker's request is refused and the victim's data is unchanged (compared before and after).
 *
 * 3. Actors and signers were free text: a commune official issued a document "signed" by the Hà Nội
 *    chairperson, whom anonymous callers then saw as its signer; dossier steps took any official id.
 * 4. A dossier step dated 2099 was accepted and the dossier still counted as early in the on-time KPI.
 * 11a. A dossier result could link another agency's incoming document.
 */
import { callers } from '../kit/testing';
import { fingerprint } from './support/snapshot';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const HA_NOI = '000.00.00.H26';
const CHAIRPERSON = `${HA_NOI}/1`; // Chủ tịch UBND thành phố Hà Nội in the directory
const PHU_THUONG = '000.00.41.H26'; // phường Phú Thượng, under Hà Nội (from 1 July 2025)
const LAP_THACH = '000.00.46.H62';
const DIEN_BIEN_PHU = '000.00.94.H18';
const WARD = callers.official(PHU_THUONG);
const DISTRICT = callers.official(LAP_THACH);

let stack: FederatedStack;
beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.02 });
});
afterAll(async () => stack?.close());

const yesterday = (): string => new Date(Date.now() - 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);

const ISSUE = `mutation($i: IssueOutgoingDocumentInput!) { issueOutgoingDocument(input: $i) { id signer { fullName position official { id } } } }`;
const issueInput = (signer: Record<string, unknown>) => ({
  agencyCode: PHU_THUONG,
  typeCode: 'QĐ',
  subject: 'Quyết định thu hồi đất tại phường Phú Thượng',
  issuedDate: yesterday(),
  signer: { competence: 'TM.', ...signer },
  electronic: true,
});

/** What anonymous callers find of the subject the attacker used: documents with their signers. */
const publicView = async () =>
  (
    await stack.gql(
      `{ searchDocuments(query: "thu hồi đất tại phường Phú Thượng", first: 100) { nodes { id signer { fullName official { id } } } } }`,
    )
  ).data?.searchDocuments?.nodes;

describe('finding 3: signers and actors are officials of the acting agency, named by the directory', () => {
  test('a ward official issuing a document "signed" by the Hà Nội chairperson is refused, and nothing is written', async () => {
    const stored = await fingerprint(stack.subgraphs);
    const beforePublic = await publicView();
    const forged = await stack.gql(ISSUE, { i: issueInput({ officialId: CHAIRPERSON }) }, WARD);
    expect(forged.data).toBeNull();
    expect(forged.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      field: 'input.signer.officialId',
    });
    expect(forged.errors?.[0]?.message).toBe(
      `input.signer.officialId: official ${CHAIRPERSON} works for agency ${HA_NOI}, not for ${PHU_THUONG} or an agency under it`,
    );
    // Nor by writing her name next to one of the ward's own officials.
    const chair = await stack.gql(`{ official(id: "${CHAIRPERSON}") { fullName position } }`, {}, WARD);
    expect(chair.data.official.position).toBe('Chủ tịch');
    const named = await stack.gql(
      ISSUE,
      {
        i: issueInput({
          officialId: `${PHU_THUONG}/5`,
          fullName: chair.data.official.fullName,
          position: 'Chủ tịch',
        }),
      },
      WARD,
    );
    expect(named.data).toBeNull();
    expect(named.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.signer.fullName',
    });
    expect(await fingerprint(stack.subgraphs)).toEqual(stored);
    expect(beforePublic).toEqual([]);
    expect(await publicView()).toEqual([]);
  });

  test('anonymous callers see the directory’s signer, never a name from the input', async () => {
    const own = await stack.gql(`{ official(id: "${PHU_THUONG}/1") { fullName position } }`, {}, WARD);
    const issued = await stack.gql(ISSUE, { i: issueInput({ officialId: `${PHU_THUONG}/1` }) }, WARD);
    expect(issued.errors).toBeUndefined();
    const seen = await stack.gql(
      `{ document(id: "${issued.data.issueOutgoingDocument.id}") { signer { fullName position official { id } } } }`,
    );
    // The printed signature block is public; the directory entry behind it is for signed-in callers
    // (docs/access-policy.md), so the anonymous caller gets no `official`.
    expect(seen.data.document.signer).toEqual({
      fullName: own.data.official.fullName,
      position: own.data.official.position,
      official: null,
    });
    const signedIn = await stack.gql(
      `{ document(id: "${issued.data.issueOutgoingDocument.id}") { signer { official { id } } } }`,
      {},
      WARD,
    );
    expect(signedIn.data.document.signer.official).toEqual({ id: `${PHU_THUONG}/1` });
  });

  test('a dossier step with an actor from elsewhere is refused, and the dossier is unchanged', async () => {
    const code = await receive('2025-03-03T09:00:00+07:00');
    const before = await dossierRows(code);
    for (const [officialId, code_] of [
      [`${DIEN_BIEN_PHU}/4`, 'FORBIDDEN'], // another province
      [`000.00.00.H62/1`, 'FORBIDDEN'], // the province above Lập Thạch
      [`${LAP_THACH}/9999`, 'BAD_USER_INPUT'], // nobody
    ] as const) {
      const r = await advance(code, 'DANG_XU_LY', '2025-03-04T09:00:00+07:00', { officialId });
      expect([officialId, r.data, r.errors?.[0]?.extensions]).toEqual([
        officialId,
        null,
        expect.objectContaining({ code: code_, field: 'input.officialId' }),
      ]);
    }
    const free = await advance(code, 'DANG_XU_LY', '2025-03-04T09:00:00+07:00', {
      officialName: 'Nguyễn Văn Giả',
    });
    expect(free.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.officialName',
    });
    expect(await dossierRows(code)).toEqual(before);
    // One of its own officials: the step carries the directory's name.
    const ok = await advance(code, 'DANG_XU_LY', '2025-03-04T09:00:00+07:00', {
      officialId: `${LAP_THACH}/7`,
    });
    expect(ok.errors).toBeUndefined();
    const name = await stack.gql(`{ official(id: "${LAP_THACH}/7") { fullName } }`, {}, DISTRICT);
    const [step] = await stack.subgraphs
      .get('dossiers')!
      .db.query<{ official_id: string; official_name: string }>(
        `SELECT s.official_id, s.official_name FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id
         WHERE d.code = $1 ORDER BY s.seq DESC LIMIT 1`,
        [code],
      );
    expect(step).toEqual({ official_id: `${LAP_THACH}/7`, official_name: name.data.official.fullName });
  });
});

async function receive(receivedAt: string): Promise<string> {
  const r = await stack.gql(
    `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
    {
      i: {
        agencyCode: LAP_THACH,
        procedureCode: '1.000656',
        channel: 'TRUC_TIEP',
        summary: 'Đăng ký khai sinh có yếu tố nước ngoài',
        applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn An', idNumber: '026090123456' },
        receivedAt,
      },
    },
    DISTRICT,
  );
  expect(r.errors).toBeUndefined();
  return r.data.receiveDossier.code;
}

const advance = (code: string, status: string, at: string, extra: Record<string, unknown> = {}) =>
  stack.gql(
    `mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { status } }`,
    { i: { code, status, at, ...extra } },
    DISTRICT,
  );

/** The dossier's row and its steps, as stored. */
const dossierRows = async (code: string) => {
  const db = stack.subgraphs.get('dossiers')!.db;
  const [d] = await db.query<{ id: number }>(`SELECT * FROM dossiers WHERE code = $1`, [code]);
  const steps = await db.query(`SELECT * FROM dossier_steps WHERE dossier_id = $1 ORDER BY seq`, [d!.id]);
  return { dossier: d, steps };
};

const STATS = `{ agency(code: "${LAP_THACH}") { dossierStats(period: { from: "2025-03-01", to: "2025-06-30" }) {
  received resolved resolvedEarly resolvedOnTime resolvedLate inProcessWithinDeadline inProcessOverdue onTimeRatio } } }`;

describe('finding 4: dossier steps are not in the future, and in order', () => {
  test('a result dated 2099 is refused and the on-time KPI is unchanged', async () => {
    const code = await receive('2025-03-10T09:00:00+07:00');
    expect((await advance(code, 'DANG_XU_LY', '2025-03-10T10:00:00+07:00')).errors).toBeUndefined();
    const kpi = await stack.gql(STATS, {}, callers.analyst);
    expect(kpi.errors).toBeUndefined();
    const before = await dossierRows(code);
    const future = await stack.gql(
      `mutation { recordDossierResult(input: { code: "${code}", at: "2099-01-01T09:00:00+07:00" }) { status timeliness } }`,
      {},
      DISTRICT,
    );
    expect(future.data).toBeNull();
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.at' });
    expect(future.errors?.[0]?.message).toMatch(/^input\.at: 2099-01-01T02:00:00.000Z is in the future/);
    expect(await dossierRows(code)).toEqual(before);
    expect(await stack.gql(STATS, {}, callers.analyst)).toEqual(kpi);
    // A receipt dated in the future is refused too.
    const later = await stack.gql(
      `mutation { receiveDossier(input: { agencyCode: "${LAP_THACH}", procedureCode: "1.000656", channel: TRUC_TIEP,
        summary: "Khai sinh", applicant: { kind: CONG_DAN, name: "Lê Văn Bình", idNumber: "026090123457" },
        receivedAt: "2099-03-03T09:00:00+07:00" }) { code } }`,
      {},
      DISTRICT,
    );
    expect(later.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.receivedAt',
    });
  });

  test('a step dated before the dossier’s previous step is refused (no backdating)', async () => {
    const code = await receive('2025-03-17T09:00:00+07:00');
    expect((await advance(code, 'DANG_XU_LY', '2025-03-19T09:00:00+07:00')).errors).toBeUndefined();
    const before = await dossierRows(code);
    const back = await stack.gql(
      `mutation { recordDossierResult(input: { code: "${code}", at: "2025-03-18T09:00:00+07:00" }) { status } }`,
      {},
      DISTRICT,
    );
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.at' });
    expect(back.errors?.[0]?.message).toContain("is before the dossier's latest step");
    expect(await dossierRows(code)).toEqual(before);
  });
});

describe('finding 11a: a dossier result links only a document of the dossier’s agency', () => {
  test('another agency’s incoming document is refused and the dossier is unchanged', async () => {
    const code = await receive('2025-03-24T09:00:00+07:00');
    expect((await advance(code, 'DANG_XU_LY', '2025-03-24T10:00:00+07:00')).errors).toBeUndefined();
    const [other] = await stack.subgraphs.get('documents')!.db.query<{ id: string; agency_code: string }>(
      `SELECT id::text, agency_code FROM documents WHERE direction = 'INCOMING' AND agency_code = $1
         AND issued_date <= '2025-03-25' ORDER BY id LIMIT 1`,
      [HA_NOI],
    );
    const before = await dossierRows(code);
    const r = await stack.gql(
      `mutation { recordDossierResult(input: { code: "${code}", resultDocumentId: "${other!.id}", at: "2025-03-25T09:00:00+07:00" }) { status resultDocument { id } } }`,
      {},
      DISTRICT,
    );
    expect(r.data).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.resultDocumentId' });
    expect(await dossierRows(code)).toEqual(before);
  });
});
