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
  /** Mutations: what was written (arguments with personal data masked, and the resolver's notes). */
  written?: Readonly<Record<string, unknown>> | null;
}

/** Who did it, in which request. */
export interface AuditActor {
  requestId: string;
  caller: Caller;
}

/** Appends `entries` in order, in one round trip (inside the caller's transaction when `db` is one). */
export function appendAuditEntries(
  db: Queryable,
  actor: AuditActor,
  entries: readonly NewAuditEntry[],
): Promise<void> {
  return insertEntries(db, [{ actor, entries }]);
}

/** The entries of several requests, each with its actor, in order, in one INSERT. */
export async function insertEntries(
  db: Queryable,
  batch: readonly { actor: AuditActor; entries: readonly NewAuditEntry[] }[],
): Promise<void> {
  const rows = batch.flatMap(({ actor: { requestId, caller }, entries }) =>
    entries.map((e) => ({
      requestId,
      subject: caller.subject,
      role: caller.role,
      agencyCode: caller.agencyCode,
      ...e,
    })),
  );
  if (!rows.length) return;
  await db.query(
    `INSERT INTO audit_log (seq, at, request_id, subject, role, agency_code, kind, operation, type, fields,
                            record_ids, written, prev_hash, hash)
     SELECT 0, now(), e->>'requestId', e->>'subject', e->>'role', e->>'agencyCode', e->>'kind', e->>'operation',
            e->>'type', ARRAY(SELECT jsonb_array_elements_text(e->'fields')),
            ARRAY(SELECT jsonb_array_elements_text(e->'recordIds')), nullif(e->'written', 'null'::jsonb), '', ''
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, i)
      ORDER BY i`,
    [JSON.stringify(rows)],
  );
}

/**
 * Group commit for reads: appends wait while one INSERT is in flight and then go together in the next,
 * so concurrent requests share round trips and commits (the chain's lock is held to each commit, so
 * one INSERT per request would cap a subgraph at one commit's latency per request). Each append
 * resolves when its own INSERT has committed, or rejects with that INSERT's error.
 */
export interface AuditAppender {
  append(actor: AuditActor, entries: readonly NewAuditEntry[]): Promise<void>;
}

export function createAuditAppender(db: Queryable, maxBatch = 500): AuditAppender {
  type Waiting = { actor: AuditActor; entries: readonly NewAuditEntry[]; done: (err?: unknown) => void };
  let queue: Waiting[] = [];
  let busy = false;
  async function drain(): Promise<void> {
    busy = true;
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      try {
        await insertEntries(db, batch);
        for (const w of batch) w.done();
      } catch (err) {
        for (const w of batch) w.done(err ?? new Error('audit append failed'));
      }
    }
    busy = false;
  }
  return {
    append(actor, entries) {
      if (!entries.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ actor, entries, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (!busy) void drain();
      });
    },
  };
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
