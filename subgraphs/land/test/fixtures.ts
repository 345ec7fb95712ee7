/** What the land data suite's read and write tests share. */

/** A dossier code land changes cite in the tests (the land subgraph does not look dossiers up). */
export const DOSSIER = '000.00.21.H26-170315-0007';

export const CHANGE = `mutation($input: RegisterLandChangeInput!) { registerLandChange(input: $input) {
  id kind date dossier { code } fromParcels { id retiredOn } toParcels { id area retiredOn landUse { code codeVersion }
  certificates { holders { fullName } } } } }`;

/** An exact decimal area (`152.5`) in tenths of m². */
export const tenths = (area: string): bigint => BigInt(area.replace('.', ''));
