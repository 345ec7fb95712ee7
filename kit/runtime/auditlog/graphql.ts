/**
 * The audit log in the graph: each subgraph gets `<name>AuditLog` (a cursor connection of the shared
 * `AuditEntry`, filterable) and `<name>AuditChain` (the chain verified now), named after the subgraph so
 * they never collide in the supergraph. kit/runtime/sdl.ts adds the fields to every subgraph's SDL; the server
 * adds these resolvers. Admins only: the gateway refuses anyone else (@policy admin), the resolvers too
 * (FORBIDDEN). The entries an admin lists are
 * themselves recorded as a read (of who acted), like any disclosure of personal data.
 */
import type { RequestContext } from '../context';
import { forbidden } from '../errors';
import { pageWindow, toConnection } from '../pagination';
import { verifyChain } from './chain';
import type { AuditEntryRow } from './chain';
import { listAuditEntries } from './store';
import type { AuditLogFilter } from './store';

/** `documents` → `documentsAuditLog`, `documentsAuditChain`; `my-permits` → `myPermitsAuditLog`. */
export function auditFieldNames(subgraph: string): { log: string; chain: string } {
  const base = subgraph.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  return { log: `${base}AuditLog`, chain: `${base}AuditChain` };
}

/**
 * The root fields of a subgraph's audit log, merged into its SDL. Admin only twice over: the gateway
 * enforces `@policy(policies: [["admin"]])` (refusing anyone else with UNAUTHORIZED_FIELD_OR_TYPE before
 * the subgraph is asked), and the resolvers refuse non-admins with FORBIDDEN should a request reach the
 * subgraph some other way. The subgraph's SDL must import `@policy` from Federation (v2.6 or later).
 */
export function auditQuerySdl(subgraph: string): string {
  const { log, chain } = auditFieldNames(subgraph);
  return `
extend type Query {
  "Nhật ký kiểm toán — this subgraph's audit log (reads of personal data, mutations), newest first. Admin only."
  ${log}(filter: AuditLogFilter, first: Int = 20, after: String): AuditEntryConnection! @policy(policies: [["admin"]])
  "Verifies this subgraph's audit log hash chain now, from its first entry. Admin only."
  ${chain}: AuditChain! @policy(policies: [["admin"]])
}
`;
}

type Ctx = RequestContext<unknown>;

function requireAdmin(ctx: Ctx): void {
  if (ctx.caller.role !== 'admin') throw forbidden('the audit log is open to administrators only');
}

const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

interface LogArgs {
  filter?: (Omit<AuditLogFilter, 'kind'> & { kind?: 'READ' | 'MUTATION' | null }) | null;
  first?: number | null;
  after?: string | null;
}

/** Query resolvers for `auditQuerySdl(subgraph)`, and the `AuditEntry` field resolvers. */
export function auditResolvers(subgraph: string): Record<string, Record<string, unknown>> {
  const { log, chain } = auditFieldNames(subgraph);
  return {
    Query: {
      [log]: async (_: unknown, args: LogArgs, ctx: Ctx) => {
        requireAdmin(ctx);
        const window = pageWindow(args, ctx.maxPageSize, isSeq);
        const f = args.filter ?? {};
        const rows = await listAuditEntries(
          ctx.db,
          { ...f, kind: f.kind ? (f.kind.toLowerCase() as 'read' | 'mutation') : null },
          { beforeSeq: window.after, limit: window.fetch },
        );
        const page = toConnection(rows, window, (r) => r.seq);
        // Who acted is itself personal data (an account): reading the log is recorded in it too.
        for (const e of page.nodes)
          ctx.audit.disclosed('AuditEntry', String(e.seq), ['agencyCode', 'subject']);
        return page;
      },
      [chain]: async (_: unknown, _args: unknown, ctx: Ctx) => {
        requireAdmin(ctx);
        const report = await verifyChain(ctx.db);
        return {
          ...report,
          headSeq: report.head?.seq ?? null,
          headHash: report.head?.hash ?? null,
        };
      },
    },
    AuditEntry: {
      kind: (e: AuditEntryRow) => e.kind.toUpperCase(),
    },
  };
}
