/**
 * Writes of the dossiers subgraph: receiving a dossier and moving it through the state machine. Each
 * runs in one transaction and commits fully or not at all. The dossier code's sequence number is an
 * upsert on `dossier_code_counters` (row-locked per agency and day), so concurrent receipts get distinct,
 * gap-free numbers and a rolled-back receipt gives its number back. A status change locks the dossier
 * row first, so two changes of one dossier never interleave.
 */
import {
  badInput,
  CalendarRangeError,
  catalogueReads,
  conflict,
  defaultCalendar,
  existsOn,
  insertOne,
  notFound,
  vnDate,
} from '../../../kit';
import type { Database, Queryable } from '../../../kit';
import { formatDossierCode } from '../codes';
import type { ApplicantKind, DossierChannel, DossierStatus } from '../generated/graphql';
import { checkTransition } from '../status';
import { enqueueSync } from '../sync/outbox';
import { emitStatusChanged } from './events';
import { dossiersByCodes } from './reads';
import { dossiers } from './tables';
import type { DossierRow, ProcedureRow } from './tables';

const DESK = 'Bộ phận tiếp nhận và trả kết quả';

/**
 * Who performed a step: an official checked in the directory (`<agency code>/<n>`, with the directory's
 * name: resolvers/references.ts), or nobody named (the one-stop desk's officer).
 */
export interface Actor {
  officialId: string | null;
  officialName: string | null;
  unitName: string | null;
}

function actorOf(a: Actor): { officialId: string | null; officialName: string; unitName: string } {
  return {
    officialId: a.officialId,
    officialName: (a.officialId && a.officialName) || 'Cán bộ một cửa',
    unitName: a.unitName ?? DESK,
  };
}

/** A step is never dated before the dossier's latest step: the order of steps is the order of events. */
async function requireAfterLastStep(
  tx: Queryable,
  dossierId: number,
  at: string,
  field: string,
): Promise<void> {
  const [last] = await tx.query<{ at: string | null }>(
    `SELECT max(at) AS at FROM dossier_steps WHERE dossier_id = $1`,
    [dossierId],
  );
  if (last?.at && Date.parse(at) < Date.parse(last.at))
    throw badInput(field, `is before the dossier's latest step (${new Date(last.at).toISOString()})`);
}

function dueDate(at: string, days: number, field: string): string {
  try {
    return defaultCalendar().dueDate(at, days);
  } catch (err) {
    if (err instanceof CalendarRangeError)
      throw badInput(field, 'is outside the years the holiday calendar covers');
    throw err;
  }
}

async function addStep(
  tx: Queryable,
  dossierId: number,
  at: string,
  status: DossierStatus,
  action: string,
  actor: Actor,
): Promise<void> {
  const who = actorOf(actor);
  const [step] = await tx.query<{ seq: number }>(
    `INSERT INTO dossier_steps (dossier_id, seq, at, official_id, official_name, unit_name, action, status)
     SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM dossier_steps WHERE dossier_id = $1
     RETURNING seq`,
    [dossierId, at, who.officialId, who.officialName, who.unitName, action, status],
  );
  // The national portal hears of every step: an outbox row in this transaction (sync/outbox.ts).
  await enqueueSync(tx, dossierId, step!.seq);
}

export interface ReceiveInput {
  agencyCode: string;
  /** The national code and, when given in local form, the local code. */
  procedure: { national: string; local: string | null };
  channel: DossierChannel;
  summary: string;
  applicant: {
    kind: ApplicantKind;
    name: string;
    idNumber: string;
    phone: string | null;
    address: string | null;
  };
  receivedAt: string;
  parcelId: string | null;
  actor: Actor;
}

export async function receiveDossier(db: Database, i: ReceiveInput): Promise<DossierRow> {
  const day = vnDate(i.receivedAt);
  const code = await db.transaction(async (tx) => {
    const [agency] = await catalogueReads.agenciesByCodes(tx, [i.agencyCode]);
    if (!agency) throw notFound(`Agency ${i.agencyCode} (input.agencyCode)`);
    if (!existsOn(agency, day))
      throw badInput('input.receivedAt', `agency ${agency.code} does not exist on ${day}`);
    if (i.procedure.local && !i.procedure.local.endsWith(`.${agency.code}`))
      throw badInput(
        'input.procedureCode',
        `${i.procedure.local} is carried out by another agency than ${agency.code}`,
      );
    const [proc] = await tx.query<ProcedureRow>(
      `SELECT code, processing_days AS "processingDays", land_related AS "landRelated" FROM procedures
       WHERE agency_code = $1 AND national_code = $2`,
      [agency.code, i.procedure.national],
    );
    if (!proc)
      throw notFound(`Procedure ${i.procedure.national} of agency ${agency.code} (input.procedureCode)`);
    if (i.parcelId && !proc.landRelated) throw badInput('input.parcelId', 'is only for land procedures');
    const due = dueDate(i.receivedAt, proc.processingDays, 'input.receivedAt');
    // The arbiter by name: the key is (agency_code, day, org_root) since migration 007 (docs/citus.md).
    const [counter] = await tx.query<{ seq: number }>(
      `INSERT INTO dossier_code_counters (agency_code, day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT ON CONSTRAINT dossier_code_counters_pkey DO UPDATE SET last_seq = dossier_code_counters.last_seq + 1
       WHERE dossier_code_counters.last_seq < 9999
       RETURNING last_seq AS seq`,
      [agency.code, day],
    );
    if (!counter) throw conflict(`agency ${agency.code} has received 9999 dossiers on ${day}`);
    const status: DossierStatus = i.channel === 'TRUC_TUYEN' ? 'MOI_DANG_KY' : 'DUOC_TIEP_NHAN';
    const row = await insertOne(tx, dossiers, {
      code: formatDossierCode(agency.code, day, counter.seq),
      agencyCode: agency.code,
      procedureCode: proc.code,
      summary: i.summary,
      applicantKind: i.applicant.kind,
      applicantName: i.applicant.name,
      applicantIdNumber: i.applicant.idNumber,
      applicantPhone: i.applicant.phone,
      applicantAddress: i.applicant.address,
      channel: i.channel,
      status,
      receivedAt: i.receivedAt,
      dueDate: due,
      parcelId: i.parcelId,
    });
    const action =
      status === 'MOI_DANG_KY' ? 'Đăng ký hồ sơ trực tuyến' : 'Tiếp nhận hồ sơ, viết giấy hẹn trả';
    await addStep(tx, row.id, i.receivedAt, status, action, i.actor);
    await emitStatusChanged(tx, {
      code: row.code,
      agencyCode: row.agencyCode,
      procedureCode: row.procedureCode,
      applicantIdNumber: row.applicantIdNumber,
      from: null,
      to: status,
      at: i.receivedAt,
    });
    return row.code;
  });
  return (await dossiersByCodes(db, [code]))[0]!;
}

export interface TransitionInput {
  code: string;
  to: DossierStatus;
  at: string;
  note: string | null;
  actor: Actor;
  /** For a supplement request: what is missing. */
  reason?: string;
  resultDocumentId?: string | null;
}

const ACTIONS: Record<DossierStatus, string> = {
  MOI_DANG_KY: 'Đăng ký hồ sơ trực tuyến',
  DUOC_TIEP_NHAN: 'Tiếp nhận hồ sơ',
  KHONG_DUOC_TIEP_NHAN: 'Từ chối tiếp nhận hồ sơ',
  DANG_XU_LY: 'Xử lý hồ sơ',
  YEU_CAU_BO_SUNG_GIAY_TO: 'Yêu cầu bổ sung hồ sơ',
  YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH: 'Thông báo thực hiện nghĩa vụ tài chính',
  CONG_DAN_RUT_HO_SO: 'Công dân rút hồ sơ',
  DUNG_XU_LY: 'Dừng xử lý hồ sơ',
  DA_XU_LY_XONG: 'Đã xử lý xong, có kết quả',
  DA_TRA_KET_QUA: 'Trả kết quả cho công dân',
};

/**
 * The dossier `code`, locked for the transaction (`FOR UPDATE`), with `id` and `key` (its instant of
 * receipt as text, to the microsecond) and the columns `select` names (alias `d`, `join`ed as given).
 * The key is read from dossier_keys' unique code index first, so the lock, and an update given the
 * key, plan the one partition of the dossier's year; `WHERE code = …` or a join to dossier_keys would
 * plan every year's (migration 006, docs/database.md). The instant of receipt never changes. The key
 * row's `org_root` goes into the lock's and the update's `WHERE` too: the column Citus routes them by
 * (docs/citus.md), at no cost here (the last column of the primary key).
 */
async function lockByCode<T>(
  tx: Queryable,
  code: string,
  select: string,
  join = '',
): Promise<(T & { id: number; key: string; orgRoot: string }) | undefined> {
  const [key] = await tx.query<{ id: number; at: string; orgRoot: string }>(
    `SELECT id, received_at::text AS at, org_root AS "orgRoot" FROM dossier_keys WHERE code = $1`,
    [code],
  );
  if (!key) return undefined;
  const [d] = await tx.query<T & { id: number }>(
    `SELECT d.id, ${select} FROM dossiers d ${join}
     WHERE d.id = $1 AND d.received_at = $2::timestamptz AND d.org_root = $3 FOR UPDATE OF d`,
    [key.id, key.at, key.orgRoot],
  );
  return d && { ...d, key: key.at, orgRoot: key.orgRoot };
}

/** Moves a dossier to `to` (state machine checked), with what that status records, and logs the step. */
export async function transition(db: Database, t: TransitionInput): Promise<DossierRow> {
  await db.transaction(async (tx) => {
    const d = await lockByCode<{
      agencyCode: string;
      procedureCode: string;
      applicantIdNumber: string;
      status: DossierStatus;
      dueDate: string;
      receivedAt: string;
      finishedAt: string | null;
      days: number;
    }>(
      tx,
      t.code,
      `d.agency_code AS "agencyCode", d.procedure_code AS "procedureCode",
       d.applicant_id_number AS "applicantIdNumber", d.status, d.due_date AS "dueDate", d.received_at AS "receivedAt",
       d.finished_at AS "finishedAt", p.processing_days AS days`,
      'JOIN procedures p ON p.code = d.procedure_code',
    );
    if (!d) throw notFound(`Dossier ${t.code}`);
    checkTransition(t.code, d.status, t.to);
    if (Date.parse(t.at) < Date.parse(d.receivedAt))
      throw badInput('input.at', 'is before the dossier was received');
    await requireAfterLastStep(tx, d.id, t.at, 'input.at');
    const set: string[] = ['status = $2'];
    // $3, $4: the instant of receipt and org_root, so that the update plans the dossier's partition only.
    const params: unknown[] = [d.id, t.to, d.key, d.orgRoot];
    const put = (col: string, v: unknown): void => {
      params.push(v);
      set.push(`${col} = $${params.length}`);
    };
    if (t.to === 'YEU_CAU_BO_SUNG_GIAY_TO') {
      const newDue = dueDate(t.at, d.days, 'input.at');
      await tx.query(
        `INSERT INTO dossier_supplements (dossier_id, seq, requested_at, reason, previous_due_date, new_due_date)
         SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 FROM dossier_supplements WHERE dossier_id = $1`,
        [d.id, t.at, t.reason ?? t.note ?? 'Bổ sung hồ sơ', d.dueDate, newDue],
      );
      put('due_date', newDue);
    }
    if (d.status === 'YEU_CAU_BO_SUNG_GIAY_TO' && t.to === 'DANG_XU_LY')
      await tx.query(
        `UPDATE dossier_supplements SET supplied_at = $2 WHERE dossier_id = $1 AND supplied_at IS NULL`,
        [d.id, t.at],
      );
    if (t.to === 'DA_XU_LY_XONG') {
      put('finished_at', t.at);
      if (t.resultDocumentId) put('result_document_id', t.resultDocumentId);
    }
    if (t.to === 'DA_TRA_KET_QUA') {
      if (d.finishedAt && Date.parse(t.at) < Date.parse(d.finishedAt))
        throw badInput('input.at', 'is before the dossier was resolved');
      put('returned_at', t.at);
    }
    if (['KHONG_DUOC_TIEP_NHAN', 'CONG_DAN_RUT_HO_SO', 'DUNG_XU_LY'].includes(t.to)) put('ended_at', t.at);
    await tx.query(
      `UPDATE dossiers SET ${set.join(', ')} WHERE id = $1 AND received_at = $3::timestamptz AND org_root = $4`,
      params,
    );
    const action = t.reason
      ? `${ACTIONS[t.to]}: ${t.reason}`
      : t.note
        ? `${ACTIONS[t.to]}: ${t.note}`
        : ACTIONS[t.to];
    await addStep(tx, d.id, t.at, t.to, action, t.actor);
    await emitStatusChanged(tx, { ...d, code: t.code, from: d.status, to: t.to, at: t.at });
  });
  return (await dossiersByCodes(db, [t.code]))[0]!;
}

const OPEN: DossierStatus[] = [
  'DUOC_TIEP_NHAN',
  'DANG_XU_LY',
  'YEU_CAU_BO_SUNG_GIAY_TO',
  'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH',
];

/** Records an apology letter with a new appointment date (the legal due date stays) and its step. */
export async function issueApologyLetter(
  db: Database,
  a: { code: string; reason: string; newAppointmentDate: string; at: string },
): Promise<DossierRow> {
  await db.transaction(async (tx) => {
    const d = await lockByCode<{ status: DossierStatus; dueDate: string }>(
      tx,
      a.code,
      `d.status, d.due_date AS "dueDate"`,
    );
    if (!d) throw notFound(`Dossier ${a.code}`);
    if (!OPEN.includes(d.status))
      throw badInput('input.code', `dossier ${a.code} is ${d.status}: apology letters are for open dossiers`);
    if (a.newAppointmentDate <= d.dueDate)
      throw badInput('input.newAppointmentDate', `must be after the current due date ${d.dueDate}`);
    await requireAfterLastStep(tx, d.id, a.at, 'input.at');
    await tx.query(
      `INSERT INTO dossier_apologies (dossier_id, seq, issued_at, reason, new_appointment_date)
       SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4 FROM dossier_apologies WHERE dossier_id = $1`,
      [d.id, a.at, a.reason, a.newAppointmentDate],
    );
    await addStep(
      tx,
      d.id,
      a.at,
      d.status,
      `Phát hành phiếu xin lỗi và hẹn lại ngày trả kết quả: ${a.newAppointmentDate}`,
      { officialId: null, officialName: null, unitName: null },
    );
  });
  return (await dossiersByCodes(db, [a.code]))[0]!;
}
