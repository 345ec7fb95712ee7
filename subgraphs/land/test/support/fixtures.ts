/** What the land data suite's read and write tests share. */
import type { LandChangeKind } from '../../../../kit';
import { callers } from '../../../../kit/testing';
import type { Harness } from './harness';

/** A well-formed dossier code for inputs refused before any dossier is looked up. */
export const DOSSIER = '000.00.21.H26-170315-0007';

/** Bắc Từ Liêm (Hà Nội), whose wards hold parcels 00595…00620, until 30 June 2025. */
export const BAC_TU_LIEM = '000.00.21.H26';
/** Lập Thạch (Vĩnh Phúc), whose communes hold parcels 08761…08815, until 30 June 2025. */
export const LAP_THACH = '000.00.46.H62';

/** Land changes are registered by an official of the dossier's agency (Bắc Từ Liêm). */
export const OFFICIAL = callers.official(BAC_TU_LIEM);

export const CHANGE = `mutation($input: RegisterLandChangeInput!) { registerLandChange(input: $input) {
  id kind date dossier { code } fromParcels { id retiredOn } toParcels { id area retiredOn landUse { code codeVersion }
  certificates { holders { fullName } } } } }`;

/** An exact decimal area (`152.5`) in tenths of m². */
export const tenths = (area: string): bigint => BigInt(area.replace('.', ''));

export type Input = Record<string, unknown>;

/** Helpers of the write tests, over the suite's harness (set in its beforeAll). */
export function writeHelpers(harness: () => Harness) {
  const h = (): Harness => harness();
  const count = async (sql: string): Promise<number> => (await h().db.query<{ n: number }>(sql))[0]!.n;
  /**
   * Registers a change as an official of `agency`; without a `dossierCode`, with a fresh dossier of
   * that agency for the change's kind naming its first parcel, resolved on 9 June 2025.
   */
  const change = async (input: Input, agency = BAC_TU_LIEM): Promise<any> => {
    const dossierCode =
      input.dossierCode ??
      (await h().landDossier({
        kind: input.kind as LandChangeKind,
        parcelId: (input.parcelIds as string[])[0]!,
        agency,
      }));
    return h().gql(CHANGE, { input: { ...input, dossierCode } }, callers.official(agency));
  };
  /** Everything a change can write, for the parcels it names: compared before and after a failure. */
  const snapshot = async (ids: string[]) =>
    JSON.stringify([
      await h().db.query('SELECT count(*)::int AS n FROM land_changes'),
      await h().db.query('SELECT count(*)::int AS n FROM land_change_parcels'),
      await h().db.query('SELECT count(*)::int AS n FROM land_parcels'),
      await h().db.query('SELECT count(*)::int AS n FROM land_certificates'),
      await h().db.query('SELECT count(*)::int AS n FROM land_certificate_holders'),
      await h().db.query(
        `SELECT id, area_m2::text, land_use_code, land_use_code_version, retired_on::text FROM land_parcels WHERE id = ANY($1::text[]) ORDER BY id`,
        [ids],
      ),
      await h().db.query(
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

  const PARCEL = `id area retiredOn landUse { code codeVersion } boundingBox { minX minY maxX maxY }
    certificates(includeCancelled: true) { issueSerial issueDate cancelledOn origin holders { fullName idNumber } }
    history { id kind date note dossier { code } fromParcels { id } toParcels { id } }`;
  const parcel = async (id: string) => {
    const r = await h().gql(`query($id: ID!) { landParcel(id: $id) { ${PARCEL} } }`, { id });
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

  return { count, change, snapshot, expectError, parcel, household };
}
