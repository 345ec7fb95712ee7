/**
 * Every mutation is recorded in its own transaction, without a line in any resolver: the kit wraps each
 * `Mutation` resolver so that it runs inside one transaction of the request's database, with `ctx.db`
 * (and fresh loaders) bound to it. When the resolver resolves, the entry — the mutation field, the names
 * of the input fields given, and the ids of the records returned (their `@key` fields, else `id`) — is
 * appended in the same transaction before COMMIT. A resolver that throws rolls everything back, its
 * entry too: a committed mutation has exactly one entry, a rolled-back one none.
 *
 * Inside, `ctx.db.transaction(fn)` becomes a savepoint: `fn` still commits or rolls back as a unit.
 * (Savepoints nest, they do not run side by side: a resolver must not run two `ctx.db.transaction`s
 * concurrently, e.g. under Promise.all — none does; they share one connection.)
 */
import { getNamedType, Kind, parse } from 'graphql';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../context';
import type { Database, Queryable } from '../db';
import { forbidden } from '../errors';
import { appendAuditEntries } from './store';
import { maskedArguments, startNotes } from './written';

/** The first `@key`'s top-level fields of each type in the SDL; `id` for a type with an `id` field. */
export function recordKeyFields(typeDefs: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const def of parse(typeDefs).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const key = def.directives?.find((d) => d.name.value === 'key');
    const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING) {
      // Top-level fields only: `id`, `code`, `a b` (a nested selection `org { id }` is skipped).
      const top = fields.value
        .replace(/\{[^{}]*\}/g, ' ')
        .split(/[\s,]+/)
        .filter(Boolean);
      keys.set(def.name.value, top);
    } else if (!keys.has(def.name.value) && def.fields?.some((f) => f.name.value === 'id')) {
      keys.set(def.name.value, ['id']);
    }
  }
  return keys;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** The input fields given, as paths (`input.agencyCode`, `input.newHolders[].fullName`, `id`); no values. */
export function argumentPaths(args: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value) && value.some(isPlainObject)) {
      for (const v of value) walk(v, `${at}[]`);
    } else if (isPlainObject(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(v, at ? `${at}.${k}` : k);
    } else out.add(at);
  };
  for (const [k, v] of Object.entries(args)) if (v !== undefined) walk(v, k);
  return [...out].sort();
}

/** The key values of what a mutation returned (one record or a list), composite keys joined by a space. */
export function recordIdsOf(result: unknown, keyFields: readonly string[]): string[] {
  const records = Array.isArray(result) ? result : [result];
  const ids: string[] = [];
  for (const r of records) {
    if (typeof r !== 'object' || r === null || !keyFields.length) continue;
    const values = keyFields.map((f) => (r as Record<string, unknown>)[f]);
    if (values.every((v) => v !== undefined && v !== null)) ids.push(values.map(String).join(' '));
  }
  return ids;
}

/** A Database whose statements all run in `tx`; its `transaction` is a savepoint. */
function boundTo(tx: Queryable, outer: Database): Database {
  let savepoints = 0;
  return {
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    async transaction(fn) {
      const name = `kit_savepoint_${++savepoints}`;
      await tx.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw err;
      }
    },
    close: () => Promise.reject(new Error('a mutation cannot close the database')),
    get roundTrips() {
      return outer.roundTrips;
    },
  };
}

type Resolver = GraphQLFieldResolver<unknown, RequestContext<unknown>>;

/** `resolvers` with each `Mutation` field recorded in the audit log (see above). */
export function auditMutations<L>(
  resolvers: Record<string, unknown>,
  typeDefs: string,
  createLoaders: (db: Database) => L,
): Record<string, unknown> {
  const mutation = resolvers.Mutation as Record<string, Resolver | { resolve: Resolver }> | undefined;
  if (!mutation) return resolvers;
  const keys = recordKeyFields(typeDefs);
  const wrapped: Record<string, Resolver> = {};
  for (const [field, r] of Object.entries(mutation)) {
    const resolve = typeof r === 'function' ? r : r.resolve;
    wrapped[field] = async (parent, args: Record<string, unknown>, ctx, info: GraphQLResolveInfo) => {
      // A peer lookup (kit/runtime/peers.ts) reads on the caller's behalf; it never writes.
      if (ctx.caller.actor !== undefined)
        throw forbidden(
          `${ctx.caller.actor} may only read here on the caller's behalf, not ${info.fieldName}`,
        );
      // The caller's agency scope (kit/runtime/access.ts) is read from the pool, not the transaction: read it
      // before taking the transaction's connection, or concurrent mutations each holding one and
      // waiting for another exhaust the pool and deadlock. Cached for the request, so no extra trip.
      await ctx.access.agencyFilter();
      return ctx.db.transaction(async (tx) => {
        const db = boundTo(tx, ctx.db);
        const inner = Object.assign(Object.create(ctx) as object, { db, loaders: createLoaders(db) });
        const notes = startNotes(inner);
        const result: unknown = await resolve(parent, args, inner as RequestContext<unknown>, info);
        const type = getNamedType(info.returnType).name;
        const defs = info.parentType.getFields()[info.fieldName]?.args ?? [];
        await appendAuditEntries(tx, ctx, [
          {
            kind: 'mutation',
            operation: info.fieldName,
            type,
            fields: argumentPaths(args),
            recordIds: [...recordIdsOf(result, keys.get(type) ?? []), ...notes.recordIds],
            written: { arguments: maskedArguments(args, defs), ...notes.values },
          },
        ]);
        return result;
      });
    };
  }
  return { ...resolvers, Mutation: wrapped };
}
