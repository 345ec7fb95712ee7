/**
 * Writes to and reads of a subgraph's audit log (table `audit_log`, migrations/). An append is one
 * INSERT of any number of entries; the table's trigger numbers and chains them under a lock.
 */
import type { Caller } from '../context';
import type { Queryable } from '../db';
import { ENTRY_COLUMNS } from './chain';
import type { AuditEntryRow } from './chain';

/** An entry to append: what happened; seq, time and hashes are the database's to assign. */
export interface NewAuditEntry {
  kind: 'read' | 'mutation';
  operation: string;
  type: string;
  fields: readonly string[];
  recordIds: readonly string[];
}

/** Who did it, in which request. */
export interface AuditActor {
  requestId: string;
  caller: Caller;
}

/** Appends `entries` in order, in one round trip (inside the caller's transaction when `db` is one). */
export async function appendAuditEntries(
  db: Queryable,
  actor: AuditActor,
  entries: readonly NewAuditEntry[],
): Promise<void> {
  if (!entries.length) return;
  const { caller } = actor;
  await db.query(
    `INSERT INTO audit_log (seq, at, request_id, subject, role, agency_code, kind, operation, type, fields,
                            record_ids, prev_hash, hash)
     SELECT 0, now(), $1, $2, $3, $4, e->>'kind', e->>'operation', e->>'type',
            ARRAY(SELECT jsonb_array_elements_text(e->'fields')),
            ARRAY(SELECT jsonb_array_elements_text(e->'recordIds')), '', ''
       FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS x(e, i)
      ORDER BY i`,
    [actor.requestId, caller.subject, caller.role, caller.agencyCode, JSON.stringify(entries)],
  );
}

export interface AuditLogFilter {
  from?: string | null;
  to?: string | null;
  subject?: string | null;
  kind?: 'read' | 'mutation' | null;
  operation?: string | null;
  recordId?: string | null;
}

/** Entries matching `filter`, newest first, `limit` of them with seq below `beforeSeq`. */
export async function listAuditEntries(
  db: Queryable,
  filter: AuditLogFilter,
  page: { beforeSeq: number | null; limit: number },
): Promise<AuditEntryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown): void => {
    if (value === null || value === undefined) return;
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  add((p) => `at >= ${p}::timestamptz`, filter.from);
  add((p) => `at < ${p}::timestamptz`, filter.to);
  add((p) => `subject = ${p}`, filter.subject);
  add((p) => `kind = ${p}`, filter.kind);
  add((p) => `operation = ${p}`, filter.operation);
  add((p) => `record_ids @> ARRAY[${p}::text]`, filter.recordId);
  add((p) => `seq < ${p}`, page.beforeSeq);
  params.push(page.limit);
  return db.query<AuditEntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
}
