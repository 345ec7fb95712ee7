/**
 * What a land change checks in its transaction, once its parcels are locked: steps in order (a change
 * is not dated before the state it changes) and one change per dossier.
 */
import { AppError, ErrorCode, requireNotBefore } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { ParcelRow } from './rows';

/**
 * The change's date is not before any parcel's registration, its current certificate's issue date or
 * its last change (BAD_USER_INPUT naming `input.date`). One round trip for all parcels.
 */
export async function requireInOrder(
  tx: Queryable,
  sources: readonly ParcelRow[],
  date: string,
): Promise<void> {
  const rows = await tx.query<{ id: string; certificate: string | null; change: string | null }>(
    `SELECT p.id,
       (SELECT max(c.issue_date)::text FROM land_certificates c
         WHERE c.parcel_id = p.id AND c.cancelled_on IS NULL) AS certificate,
       (SELECT max(ch.change_date)::text FROM land_change_parcels cp JOIN land_changes ch ON ch.id = cp.change_id
         WHERE cp.parcel_id = p.id) AS change
     FROM unnest($1::text[]) AS p(id)`,
    [sources.map((s) => s.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const s of sources) {
    requireNotBefore(date, s.registeredOn, 'input.date', `parcel ${s.id} was registered`);
    const r = byId.get(s.id);
    requireNotBefore(
      date,
      r?.certificate ?? null,
      'input.date',
      `parcel ${s.id}'s current certificate was issued`,
    );
    requireNotBefore(date, r?.change ?? null, 'input.date', `parcel ${s.id}'s last change`);
  }
}

/**
 * No other change cites this dossier (CONFLICT naming `input.dossierCode`). Serialised per dossier
 * code with a transaction-scoped advisory lock; the unique index on land_changes.dossier_code is the
 * last line.
 */
export async function requireUnusedDossier(tx: Queryable, code: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`land-dossier:${code}`]);
  const [used] = await tx.query<{ id: string; date: string }>(
    `SELECT id::text, change_date::text AS date FROM land_changes WHERE dossier_code = $1`,
    [code],
  );
  if (used)
    throw new AppError(
      ErrorCode.CONFLICT,
      `input.dossierCode: dossier ${code} already decided land change ${used.id} (${used.date}); a dossier decides one change`,
      { field: 'input.dossierCode' },
    );
}
