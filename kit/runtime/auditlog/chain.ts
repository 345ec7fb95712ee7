/**
 * The audit log's hash chain, recomputed in TypeScript: each entry's hash is sha256 over the previous
 * entry's hash and a canonical encoding of the entry (the same bytes as `audit_entry_hash` in
 * migrations/001_audit_log.sql, which chains every INSERT). Verification does not trust anything the
 * database computes — a changed function in the database cannot make a broken chain look whole.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One stored entry, as the log's reads return it. */
export interface AuditEntryRow {
  seq: number;
  /** ISO-8601 UTC with milliseconds. */
  at: string;
  requestId: string;
  subject: string | null;
  role: string;
  agencyCode: string | null;
  kind: 'read' | 'mutation';
  operation: string;
  type: string;
  fields: string[];
  recordIds: string[];
  /**
   * Mutations: what was written, as the text of its jsonb (migrations/002_audit_written.sql); null for
   * reads and for entries appended before that migration.
   */
  written: string | null;
  prevHash: string;
  hash: string;
}

export const ENTRY_COLUMNS = `seq, at, request_id AS "requestId", subject, role, agency_code AS "agencyCode", kind,
  operation, type, fields, record_ids AS "recordIds", written::text AS written, prev_hash AS "prevHash", hash`;

const text = (v: string | null): string => (v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`);
const list = (v: readonly string[]): string => `${v.length}[${v.map(text).join('')}]`;

/**
 * The canonical encoding of an entry (without its hashes). The written values come last and only when
 * there are some, so entries without them (all before migration 002) encode as they always did.
 */
export function canonicalEntry(
  e: Omit<AuditEntryRow, 'prevHash' | 'hash' | 'written'> & { written?: string | null },
): string {
  return [
    text(String(e.seq)),
    text(new Date(e.at).toISOString()),
    text(e.requestId),
    text(e.subject),
    text(e.role),
    text(e.agencyCode),
    text(e.kind),
    text(e.operation),
    text(e.type),
    list(e.fields),
    list(e.recordIds),
    e.written == null ? '' : text(e.written),
  ].join('');
}

export function entryHash(
  prevHash: string,
  e: Omit<AuditEntryRow, 'prevHash' | 'hash' | 'written'> & { written?: string | null },
): string {
  return createHash('sha256')
    .update(prevHash + canonicalEntry(e), 'utf8')
    .digest('hex');
}

/** A head of the chain recorded somewhere the database's administrators cannot write (see docs/security.md "Audit log"). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

export interface ChainReport {
  /** True when every entry chains to the one before it and the anchor (if any) is still there. */
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The first entry that does not verify (or the entry after a gap); null when ok. */
  firstBrokenSeq: number | null;
  /** What is wrong there, e.g. `hash does not match the entry`. */
  problem: string | null;
  /** The last entry: anchor it elsewhere to detect a truncated or rewritten log later. */
  head: ChainAnchor | null;
}

/**
 * Reads the whole log in seq order, `batch` entries per round trip, and checks that seq runs 1, 2, 3 …
 * (a deleted or reordered entry leaves a gap), that each entry's prev_hash is its predecessor's hash,
 * and that each hash matches the entry's content. With an `anchor`, the entry at the anchor's seq must
 * still exist with the anchored hash: a truncated tail, or a chain rewritten from an earlier point, fails.
 */
export async function verifyChain(
  db: Queryable,
  opts: { anchor?: ChainAnchor | null; batch?: number } = {},
): Promise<ChainReport> {
  const batch = opts.batch ?? 5000;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let anchorSeen = false;
  const broken = (seq: number, problem: string): ChainReport => ({
    ok: false,
    entries,
    firstBrokenSeq: seq,
    problem,
    head: entries ? { seq: expectedSeq - 1, hash: prevHash } : null,
  });
  for (;;) {
    const rows = await db.query<AuditEntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expectedSeq, batch],
    );
    for (const row of rows) {
      if (row.seq !== expectedSeq)
        return broken(row.seq, `entries ${expectedSeq}–${row.seq - 1} are missing (deleted or reordered)`);
      if (row.prevHash !== prevHash) return broken(row.seq, 'prev_hash is not the previous entry’s hash');
      if (row.hash !== entryHash(prevHash, row)) return broken(row.seq, 'hash does not match the entry');
      if (opts.anchor && row.seq === opts.anchor.seq) {
        if (row.hash !== opts.anchor.hash)
          return broken(row.seq, 'the entry differs from the anchored head (the log was rewritten)');
        anchorSeen = true;
      }
      entries++;
      expectedSeq++;
      prevHash = row.hash;
    }
    if (rows.length < batch) break;
  }
  if (opts.anchor && !anchorSeen)
    return broken(
      expectedSeq,
      `the anchored head ${opts.anchor.seq} is gone: the log ends at ${expectedSeq - 1} (truncated)`,
    );
  return {
    ok: true,
    entries,
    firstBrokenSeq: null,
    problem: null,
    head: entries ? { seq: expectedSeq - 1, hash: prevHash } : null,
  };
}
