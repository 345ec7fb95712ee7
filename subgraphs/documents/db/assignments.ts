/**
 * Processing assignments (phân công xử lý) of incoming documents and their state transitions; the
 * document's status follows its lead assignment. Each write is one transaction.
 */
import { badInput, conflict, insertOne, notFound } from '../../../kit';
import type { Database } from '../../../kit';
import type { AssignmentRole, AssignmentState } from '../generated/graphql';
import type { AssignmentRow } from './rows';
import { processingAssignments } from './tables';

/** Allowed assignment state transitions (see the schema's updateAssignmentState). */
export const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  DA_PHAN_CONG: ['DANG_XU_LY', 'TRA_LAI'],
  DANG_XU_LY: ['HOAN_THANH', 'TRA_LAI'],
  TRA_LAI: ['DA_PHAN_CONG'],
  HOAN_THANH: [],
};

/** Document status follows its lead (chủ trì) assignment. */
const DOCUMENT_STATUS_FOR_LEAD: Readonly<Record<string, string>> = {
  DA_PHAN_CONG: 'DA_PHAN_CONG',
  DANG_XU_LY: 'DANG_XU_LY',
  HOAN_THANH: 'HOAN_THANH',
  TRA_LAI: 'DA_VAO_SO',
};

export interface AssignInput {
  documentId: number;
  assigneeId: string | null;
  assigneeName: string;
  role: AssignmentRole;
  dueDate: string | null;
}

export async function assign(db: Database, input: AssignInput): Promise<AssignmentRow> {
  return db.transaction(async (tx) => {
    const [doc] = await tx.query<{ direction: string; dueDate: string | null }>(
      `SELECT direction, due_date AS "dueDate" FROM public_documents WHERE id = $1 FOR UPDATE`,
      [input.documentId],
    );
    if (!doc) throw notFound(`Document ${input.documentId}`);
    if (doc.direction !== 'INCOMING')
      throw badInput('input.documentId', 'only incoming documents are assigned');
    if (input.role === 'CHU_TRI') {
      const lead = await tx.query(
        `SELECT 1 FROM processing_assignments WHERE document_id = $1 AND role = 'CHU_TRI' AND state <> 'TRA_LAI'`,
        [input.documentId],
      );
      if (lead.length) throw conflict('the document already has a lead (chủ trì) assignee');
    }
    const row = await insertOne(tx, processingAssignments, {
      documentId: input.documentId,
      assigneeOfficialId: input.assigneeId,
      assigneeName: input.assigneeName,
      role: input.role,
      state: 'DA_PHAN_CONG',
      dueDate: input.dueDate ?? doc.dueDate,
    });
    if (input.role === 'CHU_TRI')
      await tx.query(`UPDATE documents SET status = 'DA_PHAN_CONG' WHERE id = $1`, [input.documentId]);
    return row;
  });
}

export async function updateAssignmentState(
  db: Database,
  id: number,
  state: AssignmentState,
  note: string | null,
): Promise<AssignmentRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<AssignmentRow>(
      `SELECT ${processingAssignments.select('a')} FROM processing_assignments a
       JOIN public_documents d ON d.id = a.document_id WHERE a.id = $1 FOR UPDATE OF a`,
      [id],
    );
    if (!current) throw notFound(`ProcessingAssignment ${id}`);
    if (!TRANSITIONS[current.state]!.includes(state))
      throw badInput('state', `cannot move an assignment from ${current.state} to ${state}`);
    const [row] = await tx.query<AssignmentRow>(
      `UPDATE processing_assignments SET state = $2, note = coalesce($3, note),
         completed_at = CASE WHEN $2 = 'HOAN_THANH' THEN now() ELSE NULL END
       WHERE id = $1
       RETURNING ${processingAssignments.select()}`,
      [id, state, note],
    );
    if (current.role === 'CHU_TRI') {
      await tx.query(
        `UPDATE documents SET status = $2, completed_at = CASE WHEN $2 = 'HOAN_THANH' THEN now() ELSE NULL END
         WHERE id = $1`,
        [current.documentId, DOCUMENT_STATUS_FOR_LEAD[state]],
      );
    }
    return row!;
  });
}
