/** The catalogue's tables, each declared once (kit/runtime/table.ts): select lists, bulk inserts and row types. */
import { date, int, table, text } from '../../runtime/table';
import type { RowOf } from '../../runtime/table';
import type { AdministrativeUnitType, AgencyLevel, SuccessionKind } from './types';

export const adminUnits = table('admin_units', {
  /** `<code>@<valid_from>`: statistics-office codes are reused after 2025. */
  id: text(),
  code: text(),
  name: text(),
  type: text<AdministrativeUnitType>(),
  level: int(),
  parentId: text().nullable(),
  validFrom: date(),
  validTo: date().nullable(),
  legalBasis: text().nullable(),
});

export const unitSuccessions = table('admin_unit_successions', {
  fromId: text(),
  toId: text(),
  effectiveDate: date(),
  kind: text<SuccessionKind>(),
});

export const agencies = table('agencies', {
  /** QCVN 102:2016 identifier, e.g. 000.00.00.H41. */
  code: text(),
  name: text(),
  level: text<AgencyLevel>(),
  parentCode: text().nullable(),
  unitId: text().nullable(),
  validFrom: date(),
  validTo: date().nullable(),
});

export type UnitRow = RowOf<typeof adminUnits>;
export type SuccessionRow = RowOf<typeof unitSuccessions>;
export type AgencyRow = RowOf<typeof agencies>;
