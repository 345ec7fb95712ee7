/**
 * The audit trail of one request: who saw which personal data. Resolvers (through the kit's
 * personal-data masking) report each record whose personal fields they disclose unmasked; the trail
 * keeps them for the request and hands them on in one batch when the response is sent.
 *
 * This is the interface access control writes to. The kit persists what it holds when the response
 * is ready, before it is sent, in the subgraph's append-only, hash-chained audit log (kit/runtime/auditlog,
 * docs/security.md "Audit log"); if that write fails, the response is withheld.
 */

/** One disclosure: personal fields of one record, as the response carried them unmasked. */
export interface Disclosure {
  /** GraphQL type of the record, e.g. `Applicant`. */
  readonly type: string;
  /** The record's id (its key, e.g. a dossier code). */
  readonly id: string;
  /** The personal fields disclosed, e.g. `['name', 'idNumber']`. */
  readonly fields: readonly string[];
}

export interface AuditTrail {
  /** Reports that `fields` of record `id` of `type` were sent unmasked in this request. */
  disclosed(type: string, id: string, fields: readonly string[]): void;
  /** What was disclosed in this request so far, each record once, its fields merged. */
  disclosures(): readonly Disclosure[];
}

/** A fresh trail for one request. */
export function createAuditTrail(): AuditTrail {
  const byRecord = new Map<string, { type: string; id: string; fields: Set<string> }>();
  return {
    disclosed(type, id, fields) {
      const key = `${type}\u0000${id}`;
      const entry = byRecord.get(key) ?? { type, id, fields: new Set<string>() };
      for (const f of fields) entry.fields.add(f);
      byRecord.set(key, entry);
    },
    disclosures: () =>
      [...byRecord.values()].map((e) => ({ type: e.type, id: e.id, fields: [...e.fields].sort() })),
  };
}
