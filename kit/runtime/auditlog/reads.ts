/**
 * Reads of personal data: what a request disclosed (ctx.audit, kit/runtime/auditlog/trail.ts) becomes audit entries,
 * written when the response is ready and before it is sent (mercurius `onResolution`), in one INSERT
 * shared with the requests that end at the same time (store.ts `createAuditAppender`).
 * Fail closed: if the entries cannot be written, the response carries no data, only an error — personal
 * data never leaves unrecorded. Nothing is written for a request that disclosed nothing.
 */
import { Kind } from 'graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DocumentNode, ExecutionResult } from 'graphql';
import type { AuditTrail, Disclosure } from './trail';
import type { RequestContext } from '../context';
import { databaseFailure, ErrorCode } from '../errors';
import type { Queryable } from '../db';
import { createAuditAppender } from './store';
import type { AuditAppender, NewAuditEntry } from './store';

/** One entry per type and set of fields: the records that disclosed exactly those fields. */
export function readEntries(disclosures: readonly Disclosure[], operation: string): NewAuditEntry[] {
  const groups = new Map<string, NewAuditEntry & { recordIds: string[] }>();
  for (const d of disclosures) {
    const fields = [...d.fields].sort();
    const key = JSON.stringify([d.type, fields]);
    const group = groups.get(key) ?? { kind: 'read', operation, type: d.type, fields, recordIds: [] };
    group.recordIds.push(d.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The root fields an operation selects, e.g. `dossiers` or `_entities` (operation name aside). */
export function rootFields(document: DocumentNode, operationName?: string | null): string {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = ops.find((o) => !operationName || o.name?.value === operationName) ?? ops[0];
  const names = new Set<string>();
  for (const s of op?.selectionSet.selections ?? [])
    if (s.kind === Kind.FIELD && s.name.value !== '__typename') names.add(s.name.value);
  return [...names].join(',') || 'unknown';
}

export const UNRECORDED_MESSAGE = 'The response was withheld: it could not be recorded in the audit log';

/**
 * Writes the request's disclosures; on failure replaces the response by an error (mutates `execution`,
 * as mercurius sends what onResolution leaves).
 */
export async function recordReads(
  appender: AuditAppender,
  ctx: RequestContext<unknown>,
  operation: string,
  execution: ExecutionResult,
): Promise<void> {
  const disclosures = ctx.audit.disclosures();
  if (!disclosures.length) return;
  try {
    await appender.append(ctx, readEntries(disclosures, operation));
  } catch (err) {
    ctx.log.error({ err }, 'audit log write failed: response withheld');
    (execution as { data: unknown }).data = null;
    (execution as { errors: unknown }).errors = [
      {
        message: UNRECORDED_MESSAGE,
        // A lost database or a timeout keeps its retryable code (SERVICE_UNAVAILABLE, TIMEOUT).
        extensions: { code: databaseFailure(err)?.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR },
      },
    ];
  }
}

/**
 * Hooks the server's GraphQL (mercurius, already registered on `app`): `preExecution` notes the
 * operation's root fields, `onResolution` writes the request's disclosures through one appender per
 * server (group commit) before the response is sent.
 */
export function recordReadsBeforeResponse(app: FastifyInstance, db: Queryable): void {
  const operations = new WeakMap<AuditTrail, string>();
  const appender = createAuditAppender(db);
  type Ctx = RequestContext<unknown> & { reply?: { request: FastifyRequest } };
  app.register(async (instance) => {
    instance.graphql.addHook('preExecution', async (_schema, document, context) => {
      const ctx = context as unknown as Ctx;
      const body = ctx.reply?.request.body as { operationName?: string } | undefined;
      operations.set(ctx.audit, rootFields(document, body?.operationName));
    });
    instance.graphql.addHook('onResolution', async (execution, context) => {
      const ctx = context as unknown as Ctx;
      await recordReads(appender, ctx, operations.get(ctx.audit) ?? 'unknown', execution);
    });
  });
}
