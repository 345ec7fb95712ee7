/**
 * Issue 14, findings 1, 2, 4 (land) and 11, written from the security test's descriptions: every
 * attacker's request through the gateway is refused with the code the rules give (docs/jurisdiction.md
 * "land"), and the victim's parcel, certificates and holders — read by an admin through the gateway
 * before and after — are unchanged.
 */
import type { LandChangeKind } from '../kit';
import { addDays, LAND_CHANGE_PROCEDURES, vnToday } from '../kit';
import { callers } from '../kit/testing';
import { makeLandDossier } from '../subgraphs/land/test/support/dossiers';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

let stack: FederatedStack;
const BAC_TU_LIEM = '000.00.21.H26'; // Hà Nội, until 30 June 2025
const LAP_THACH = '000.00.46.H62'; // a district of Vĩnh Phúc, until 30 June 2025
const PHU_THO_COMMUNE = '000.00.41.H44'; // Xã Lập Thạch, Phú Thọ, from 1 July 2025
const VICTIM = '00598/1/2'; // a parcel of old Phường Liên Mạc, Bắc Từ Liêm, Hà Nội

beforeAll(async () => {
  stack = await startFederatedStack();
});
afterAll(async () => stack?.close());

const CHANGE = `mutation($input: RegisterLandChangeInput!) { registerLandChange(input: $input) { id } }`;

/** Everything a change could touch on the victim, as an admin sees it (holders unmasked). */
async function victim(id = VICTIM): Promise<unknown> {
  const r = await stack.gql(
    `query($id: ID!) { landParcel(id: $id) { id area retiredOn landUse { code codeVersion } history { id kind date }
       certificates(includeCancelled: true) { id issueSerial issueDate cancelledOn issuingAgency { code }
         holders { fullName birthYear idNumber address } } } }`,
    { id },
    callers.admin,
  );
  expect(r.errors).toBeUndefined();
  return r.data.landParcel;
}

const procedureCodes = new Map<string, string>();
async function dossier(
  agency: string,
  kind: LandChangeKind,
  parcelId: string,
  days: { received?: string; resolved?: string | null } = {},
): Promise<string> {
  const key = `${agency}|${kind}`;
  if (!procedureCodes.has(key)) {
    const r = await stack.gql(
      `{ agency(code: "${agency}") { procedures(filter: { fieldCode: "G16-DD01" }, first: 50) { nodes { code name } } } }`,
      {},
      callers.official(agency),
    );
    const p = r.data.agency.procedures.nodes.find(
      (n: { name: string }) => n.name === LAND_CHANGE_PROCEDURES[kind],
    );
    procedureCodes.set(key, p.code);
  }
  return makeLandDossier(stack.gql, {
    agency,
    procedureCode: procedureCodes.get(key)!,
    parcelId,
    received: days.received ?? '2025-06-02',
    resolved: days.resolved === undefined ? '2025-06-09' : days.resolved,
    returned: null,
  });
}

const HOLDER = {
  fullName: 'Kẻ Gian Lận',
  birthYear: 1980,
  idNumber: '026080009999',
  address: 'Số 1, Thị trấn Lập Thạch, Vĩnh Phúc',
};

async function refused(
  input: Record<string, unknown>,
  as: ReturnType<typeof callers.official>,
  code: string,
  field: string,
  message?: RegExp,
): Promise<void> {
  const before = await victim();
  const r = await stack.gql(CHANGE, { input }, as);
  expect(r.data).toBeNull();
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0].extensions).toMatchObject({ code, field });
  if (message) expect(r.errors[0].message).toMatch(message);
  expect(await victim()).toEqual(before);
}

describe('finding 1: a land change outside the caller’s territory', () => {
  test('an official of a Vĩnh Phúc district transferring a Hà Nội parcel, citing a dossier that does not exist: FORBIDDEN, nothing changes', async () => {
    const input = {
      dossierCode: `${LAP_THACH}-250610-0099`,
      kind: 'TRANSFER',
      date: '2025-06-16',
      parcelIds: [VICTIM],
      newHolders: [HOLDER],
    };
    await refused(
      input,
      callers.official(LAP_THACH),
      'FORBIDDEN',
      'input.parcelIds[0]',
      /parcel 00598\/1\/2 does not lie in the territory of agency 000\.00\.46\.H62 on 2025-06-16/,
    );
    // Citing a Hà Nội dossier code instead: not their agency.
    await refused(
      { ...input, dossierCode: `${BAC_TU_LIEM}-250610-0099` },
      callers.official(LAP_THACH),
      'FORBIDDEN',
      'input.dossierCode',
    );
  });

  test('a Phú Thọ commune changing the use of a Hà Nội parcel: FORBIDDEN, nothing changes', async () => {
    await refused(
      {
        dossierCode: `${PHU_THO_COMMUNE}-250801-0001`,
        kind: 'CHANGE_OF_USE',
        date: '2025-08-04',
        parcelIds: [VICTIM],
        landUseCode: 'TMD',
      },
      callers.official(PHU_THO_COMMUNE),
      'FORBIDDEN',
      'input.parcelIds[0]',
    );
  });

  test('an agency abolished in 2025 acts no more: FORBIDDEN naming the dossier', async () => {
    await refused(
      {
        dossierCode: `${BAC_TU_LIEM}-250801-0001`,
        kind: 'CHANGE_OF_USE',
        date: '2025-08-04',
        parcelIds: [VICTIM],
        landUseCode: 'TMD',
      },
      callers.official(BAC_TU_LIEM),
      'FORBIDDEN',
      'input.dossierCode',
      /agency 000\.00\.21\.H26 does not exist on 2025-08-04/,
    );
  });
});

test('finding 2: an outside SPLIT with a real dossier of the attacker’s agency is refused; no certificate is issued to their agency and the holders stay out of their reach', async () => {
  // The one-stop desk no longer takes another territory's parcel (docs/jurisdiction.md "## dossiers")…
  await expect(dossier(LAP_THACH, 'SPLIT', VICTIM)).rejects.toThrow(
    /"code":"FORBIDDEN","field":"input\.parcelId"/,
  );
  // …so the attacker's dossier is one recorded before that check: received for one of Lập Thạch's own
  // parcels, then pointed at the victim's in the dossiers database. Land must still refuse it.
  const [own] = await stack.subgraphs.get('land')!.db.query<{
    id: string;
  }>(`SELECT id FROM land_parcels WHERE original_commune_code = '08794' AND retired_on IS NULL ORDER BY id LIMIT 1`);
  const code = await dossier(LAP_THACH, 'SPLIT', own!.id);
  await stack.subgraphs
    .get('dossiers')!
    .db.query(`UPDATE dossiers SET parcel_id = $1 WHERE code = $2`, [VICTIM, code]);
  const area = ((await victim()) as { area: string }).area;
  await refused(
    {
      dossierCode: code,
      kind: 'SPLIT',
      date: '2025-06-16',
      parcelIds: [VICTIM],
      results: [{ area: '1.0' }, { area: (Number(area) - 1).toFixed(1) }],
    },
    callers.official(LAP_THACH),
    'FORBIDDEN',
    'input.parcelIds[0]',
  );
  const seen = await stack.gql(
    `{ landParcel(id: "${VICTIM}") { certificates { holders { fullName idNumber } } } }`,
    {},
    callers.official(LAP_THACH),
  );
  // No certificate of the victim is theirs to read (they belong to Bắc Từ Liêm), so no holder either.
  expect(seen.errors).toBeUndefined();
  expect(seen.data.landParcel.certificates).toEqual([]);
});

describe('the dossier must decide this change', () => {
  test('a dossier that does not exist, in the agency’s own territory: BAD_USER_INPUT', async () => {
    await refused(
      {
        dossierCode: `${BAC_TU_LIEM}-250610-0999`,
        kind: 'TRANSFER',
        date: '2025-06-16',
        parcelIds: [VICTIM],
        newHolders: [HOLDER],
      },
      callers.official(BAC_TU_LIEM),
      'BAD_USER_INPUT',
      'input.dossierCode',
      /dossier 000\.00\.21\.H26-250610-0999 does not exist/,
    );
  });

  test('in process, under another procedure, or naming another parcel: BAD_USER_INPUT', async () => {
    const base = { kind: 'TRANSFER', date: '2025-06-16', parcelIds: [VICTIM], newHolders: [HOLDER] };
    const as = callers.official(BAC_TU_LIEM);
    const open = await dossier(BAC_TU_LIEM, 'TRANSFER', VICTIM, { resolved: null });
    await refused(
      { ...base, dossierCode: open },
      as,
      'BAD_USER_INPUT',
      'input.dossierCode',
      /is DUOC_TIEP_NHAN/,
    );
    const split = await dossier(BAC_TU_LIEM, 'SPLIT', VICTIM);
    await refused({ ...base, dossierCode: split }, as, 'BAD_USER_INPUT', 'input.dossierCode', /"Tách thửa/);
    const other = await dossier(BAC_TU_LIEM, 'TRANSFER', '00598/1/1');
    await refused(
      { ...base, dossierCode: other },
      as,
      'BAD_USER_INPUT',
      'input.dossierCode',
      /names parcel 00598\/1\/1/,
    );
  });

  test('finding 11: one dossier code justifies one change; the second is CONFLICT and writes nothing', async () => {
    const parcel = '00595/1/2';
    const code = await dossier(BAC_TU_LIEM, 'TRANSFER', parcel);
    const input = {
      dossierCode: code,
      kind: 'TRANSFER',
      date: '2025-06-16',
      parcelIds: [parcel],
      newHolders: [HOLDER],
    };
    const first = await stack.gql(CHANGE, { input }, callers.official(BAC_TU_LIEM));
    expect(first.errors).toBeUndefined();
    const before = await victim(parcel);
    const again = await stack.gql(
      CHANGE,
      { input: { ...input, date: '2025-06-17' } },
      callers.official(BAC_TU_LIEM),
    );
    expect(again.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.dossierCode' });
    expect(again.errors[0].message).toContain(
      `already decided land change ${first.data.registerLandChange.id}`,
    );
    expect(await victim(parcel)).toEqual(before);
  });
});

describe('finding 4: time', () => {
  test('a transfer dated 2099, one dated after tomorrow, and a holder born in 2099: BAD_USER_INPUT naming the field', async () => {
    const code = await dossier(BAC_TU_LIEM, 'TRANSFER', VICTIM);
    const as = callers.official(BAC_TU_LIEM);
    const base = { dossierCode: code, kind: 'TRANSFER', parcelIds: [VICTIM], newHolders: [HOLDER] };
    await refused(
      { ...base, date: '2099-01-01' },
      as,
      'BAD_USER_INPUT',
      'input.date',
      /2099-01-01 is in the future/,
    );
    await refused(
      { ...base, date: addDays(vnToday(), 2) },
      as,
      'BAD_USER_INPUT',
      'input.date',
      /is in the future/,
    );
    await refused(
      { ...base, date: '2025-06-16', newHolders: [{ ...HOLDER, birthYear: 2099 }] },
      as,
      'BAD_USER_INPUT',
      'input.newHolders[0].birthYear',
      /2099 is after 2025/,
    );
  });

  test('a change dated before the dossier was resolved, or before the parcel’s current certificate: BAD_USER_INPUT on input.date', async () => {
    const as = callers.official(BAC_TU_LIEM);
    const code = await dossier(BAC_TU_LIEM, 'CHANGE_OF_USE', VICTIM);
    const input = { dossierCode: code, kind: 'CHANGE_OF_USE', parcelIds: [VICTIM], landUseCode: 'TMD' };
    await refused(
      { ...input, date: '2025-06-05' },
      as,
      'BAD_USER_INPUT',
      'input.date',
      /before dossier .* was resolved/,
    );
    // A parcel whose current certificate was issued well after Bắc Từ Liêm began.
    const [late] = await stack.subgraphs.get('land')!.db.query<{ id: string; issued: string }>(
      `SELECT p.id, c.issue_date::text AS issued FROM land_parcels p
       JOIN land_certificates c ON c.parcel_id = p.id AND c.cancelled_on IS NULL
       WHERE p.retired_on IS NULL AND p.original_commune_code BETWEEN '00595' AND '00620'
         AND c.issue_date > '2015-06-01' AND p.registered_on < '2014-06-01'
       ORDER BY c.issue_date DESC, p.id LIMIT 1`,
    );
    if (!late) throw new Error('the seed has no Bắc Từ Liêm parcel certified after mid-2015');
    const early = await dossier(BAC_TU_LIEM, 'CHANGE_OF_USE', late!.id, {
      received: '2014-06-02',
      resolved: '2014-06-09',
    });
    const before = await victim(late!.id);
    const r = await stack.gql(
      CHANGE,
      {
        input: {
          dossierCode: early,
          kind: 'CHANGE_OF_USE',
          date: '2014-06-16',
          parcelIds: [late!.id],
          landUseCode: 'TMD',
        },
      },
      as,
    );
    expect(r.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
    expect(r.errors[0].message).toBe(
      `input.date: 2014-06-16 is before parcel ${late!.id}'s current certificate was issued (${late!.issued})`,
    );
    expect(await victim(late!.id)).toEqual(before);
  });
});

test('the dossiers system unreachable: DOWNSTREAM_SERVICE_ERROR, nothing written', async () => {
  const code = await dossier(BAC_TU_LIEM, 'CHANGE_OF_USE', VICTIM);
  const before = await victim();
  await stack.subgraphs.get('dossiers')!.app.close();
  const r = await stack.gql(
    CHANGE,
    {
      input: {
        dossierCode: code,
        kind: 'CHANGE_OF_USE',
        date: '2025-06-16',
        parcelIds: [VICTIM],
        landUseCode: 'TMD',
      },
    },
    callers.official(BAC_TU_LIEM),
  );
  expect(r.errors[0]).toMatchObject({
    message: 'Could not check with the dossiers system: unreachable',
    extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
  expect(await victim()).toEqual(before);
});
