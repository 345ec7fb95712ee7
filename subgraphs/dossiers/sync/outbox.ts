/**
 * The portal sync outbox (migration 005_portal_sync): rows written in a step's transaction, read by
 * the sender (sync/sender.ts) and by officials through `Dossier.portalSync`. Order per dossier: only
 * the oldest unsent row of a dossier is ever due, so a dossier's messages arrive in step order; a
 * dead row holds the ones after it until an official re-sends.
 */
import type { Queryable } from '../../../kit';
import type { SyncKind, SyncSource } from './payload';

/** Called by every step (db/writes.ts addStep): the receipt syncs the dossier, later steps report progress. */
export async function enqueueSync(tx: Queryable, dossierId: number, stepSeq: number): Promise<void> {
  const kind: SyncKind = stepSeq === 1 ? 'DongBoHoSoMC' : 'CapNhatTienDoHoSoMC';
  await tx.query(`INSERT INTO portal_sync_outbox (dossier_id, step_seq, kind) VALUES ($1, $2, $3)`, [
    dossierId,
    stepSeq,
    kind,
  ]);
}

export interface OutboxRow {
  id: number;
  dossierId: number;
  stepSeq: number;
  kind: SyncKind;
  state: 'PENDING' | 'SENT' | 'DEAD';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

const COLUMNS = `o.id::int AS id, o.dossier_id::int AS "dossierId", o.step_seq AS "stepSeq", o.kind, o.state,
  o.attempts, o.next_attempt_at AS "nextAttemptAt", o.last_error AS "lastError", o.created_at AS "createdAt",
  o.sent_at AS "sentAt"`;

/**
 * Claims up to `limit` due rows, the oldest unsent one of each dossier, locked for the caller's
 * transaction (SKIP LOCKED: several senders share the work without sending a row twice at once).
 */
export async function claimDue(tx: Queryable, limit: number): Promise<OutboxRow[]> {
  return tx.query<OutboxRow>(
    `WITH heads AS (
       SELECT DISTINCT ON (dossier_id) id FROM portal_sync_outbox WHERE state <> 'SENT' ORDER BY dossier_id, id
     )
     SELECT ${COLUMNS} FROM portal_sync_outbox o JOIN heads h ON h.id = o.id
     WHERE o.state = 'PENDING' AND o.next_attempt_at <= now()
     ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
    [limit],
  );
}

/** What a payload is built from, for each claimed row. */
export async function sourcesOf(tx: Queryable, rows: readonly OutboxRow[]): Promise<Map<number, SyncSource>> {
  const found = await tx.query<SyncSource & { outboxId: number }>(
    `SELECT o.id::int AS "outboxId", d.code, p.national_code AS "procedureNationalCode", p.name AS "procedureName",
            p.field_code AS "fieldCode", p.field_name AS "fieldName", d.summary, a.name AS "agencyName",
            d.applicant_kind AS "applicantKind", d.applicant_name AS "applicantName",
            d.applicant_id_number AS "applicantIdNumber", d.channel, d.status,
            d.received_at AS "receivedAt", d.due_date::text AS "dueDate", d.finished_at AS "finishedAt",
            d.returned_at AS "returnedAt",
            json_build_object('seq', s.seq, 'at', s.at, 'officialName', s.official_name, 'unitName', s.unit_name,
                              'action', s.action, 'status', s.status) AS step
     FROM portal_sync_outbox o
     JOIN dossiers d ON d.id = o.dossier_id
     JOIN procedures p ON p.code = d.procedure_code
     JOIN agencies a ON a.code = d.agency_code
     JOIN dossier_steps s ON s.dossier_id = o.dossier_id AND s.seq = o.step_seq
     WHERE o.id = ANY($1::bigint[])`,
    [rows.map((r) => r.id)],
  );
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v));
  return new Map(
    found.map((f) => [
      f.outboxId,
      { ...f, receivedAt: iso(f.receivedAt)!, finishedAt: iso(f.finishedAt), returnedAt: iso(f.returnedAt) },
    ]),
  );
}

export async function markSent(tx: Queryable, id: number): Promise<void> {
  await tx.query(
    `UPDATE portal_sync_outbox SET state = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** One failed attempt: retry after `delayMs`, or the dead letter once `dead`. */
export async function markFailed(
  tx: Queryable,
  id: number,
  error: string,
  delayMs: number,
  dead: boolean,
): Promise<void> {
  await tx.query(
    `UPDATE portal_sync_outbox SET attempts = attempts + 1, last_error = $2,
       state = CASE WHEN $4 THEN 'DEAD' ELSE state END,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
     WHERE id = $1`,
    [id, error.slice(0, 500), delayMs, dead],
  );
}

export const outboxOfDossiers = (db: Queryable, ids: readonly number[]): Promise<OutboxRow[]> =>
  db.query<OutboxRow>(
    `SELECT ${COLUMNS} FROM portal_sync_outbox o WHERE o.dossier_id = ANY($1::bigint[]) ORDER BY o.dossier_id, o.id`,
    [ids],
  );

/**
 * An official's re-send: dead rows of the dossier become due again (in order); with none dead, the
 * dossier is synced again in full as at its latest step. Returns how many rows are due now.
 */
export async function resend(tx: Queryable, dossierId: number): Promise<number> {
  const revived = await tx.query(
    `UPDATE portal_sync_outbox SET state = 'PENDING', attempts = 0, next_attempt_at = now()
     WHERE dossier_id = $1 AND state = 'DEAD' RETURNING 1`,
    [dossierId],
  );
  if (revived.length) return revived.length;
  // The arbiter by name: the unique key gained org_root in migration 007 (docs/citus.md).
  await tx.query(
    `INSERT INTO portal_sync_outbox (dossier_id, step_seq, kind)
     SELECT $1, max(seq), 'DongBoHoSoMC' FROM dossier_steps WHERE dossier_id = $1
     ON CONFLICT ON CONSTRAINT portal_sync_outbox_dossier_id_step_seq_kind_key DO UPDATE
       SET state = 'PENDING', attempts = 0, next_attempt_at = now(), sent_at = NULL, last_error = NULL`,
    [dossierId],
  );
  return 1;
}

/** Dossier.portalSync: a dossier's outbox rows, summed up. */
export interface PortalSyncValue {
  state: 'NONE' | 'PENDING' | 'SENT' | 'FAILED';
  pending: number;
  dead: number;
  lastSentAt: string | null;
  lastError: string | null;
  messages: OutboxRow[];
}

export function portalSyncOf(messages: OutboxRow[]): PortalSyncValue {
  const pending = messages.filter((m) => m.state !== 'SENT').length;
  const dead = messages.filter((m) => m.state === 'DEAD').length;
  const sent = messages.map((m) => m.sentAt).filter((t): t is string => t !== null);
  const failed = [...messages].reverse().find((m) => m.lastError !== null);
  return {
    state: !messages.length ? 'NONE' : dead ? 'FAILED' : pending ? 'PENDING' : 'SENT',
    pending,
    dead,
    lastSentAt: sent.length ? sent.sort().at(-1)! : null,
    lastError: failed?.lastError ?? null,
    messages,
  };
}
