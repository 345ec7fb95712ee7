/**
 * Value types of the reference catalogue. They spell the same values as the GraphQL enums of the SDL
 * that owns `Agency` and `AdministrativeUnit` (documents), so generated resolver types accept them.
 */
export type AgencyLevel = 'CENTRAL' | 'PROVINCE' | 'DISTRICT' | 'COMMUNE' | 'DEPARTMENT';

export type AdministrativeUnitType =
  | 'TINH'
  | 'THANH_PHO_TW'
  | 'QUAN'
  | 'HUYEN'
  | 'THI_XA'
  | 'THANH_PHO_THUOC_TINH'
  | 'XA'
  | 'PHUONG'
  | 'THI_TRAN'
  | 'DAC_KHU';

export type SuccessionKind = 'MERGE' | 'SPLIT' | 'PARTIAL' | 'RENAME';
