/**
 * Runs a query plan: Sequence, Parallel, Flatten, Fetch and Condition nodes over one mutable result
 * tree. Entity fetches build their `representations` from the plan's `requires` selections (which
 * is how `@requires` fields and keys reach a subgraph), send them through the transport's subgraph
 * clients (transport/, so every feature's fetch wrapper runs), and merge `_entities` back in place. Subgraph
 * errors keep their message and code, gain `serviceName`, and get a path in the client's response.
 *
 * Semantics follow @apollo/gateway's executeQueryPlan (both engines must answer the same), minus
 * its per-request costs: no usage-reporting trace nodes, no tracing spans, no re-parsing of the
 * operation per request.
 */
import type { VariableDefinitions } from '@apollo/federation-internals';
import { evaluateCondition } from '@apollo/query-planner';
import type { FetchNode, PlanNode, SubscriptionNode } from '@apollo/query-planner';
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../../context';
import type { CachePolicy, SubgraphClient } from '../../transport';
import { parallelParts } from './coalesce';
import { downstreamError, lazyErrorPath } from './subgraphErrors';
import type { Cursor } from './subgraphErrors';
import { deepMerge, representationSet } from './representations';
import { applyRewrites } from './rewrites';

type Data = Record<string, unknown>;

export interface PlanContext {
  readonly requestContext: GatewayGraphQLRequestContext<GatewayContext>;
  /** The transport's client of each subgraph, by name. */
  readonly clients: ReadonlyMap<string, SubgraphClient>;
  /** graphql-js form of the supergraph (for rewrites and abstract type conditions). */
  readonly supergraphSchema: GraphQLSchema;
  /** The operation's variable definitions (Condition nodes fall back to their defaults). */
  readonly variableDefinitions: VariableDefinitions;
  readonly errors: unknown[];
  /**
   * A subscription's delivery: the event its primary fetch carries to the owning subgraph in the
   * request's `extensions.event` (docs/subscriptions.md). Unset for queries and mutations.
   */
  readonly event?: unknown;
}

export async function executeNode(
  context: PlanContext,
  node: PlanNode | SubscriptionNode,
  cursor: Cursor,
): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(context, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(
        parallelParts(node).map((part) =>
          'node' in part
            ? executeNode(context, part.node, cursor)
            : executeCoalesced(context, part.group, cursor),
        ),
      );
      return;
    case 'Flatten': {
      const data = flattenResultsAtPath(cursor.data, node.path);
      if (data === undefined || data === null) return;
      await executeNode(context, node.node, {
        path: cursor.path.concat(node.path),
        data,
        fullResult: cursor.fullResult,
      });
      return;
    }
    case 'Fetch':
      try {
        await executeFetch(context, node, [cursor]);
      } catch (error) {
        context.errors.push(error);
      }
      return;
    case 'Condition': {
      const condition = evaluateCondition(
        node,
        context.variableDefinitions,
        context.requestContext.request.variables,
      );
      const branch = condition ? node.ifClause : node.elseClause;
      if (branch) await executeNode(context, branch, cursor);
      return;
    }
    case 'Subscription':
      // One delivery of a subscription (the spec's MapSourceToResponseEvent): the owning subgraph runs
      // the selection for the event as the receiver, then `rest` resolves other subgraphs' fields.
      try {
        await executeFetch(context, node.primary, [cursor], { event: context.event });
      } catch (error) {
        context.errors.push(error);
        return;
      }
      if (node.rest) await executeNode(context, node.rest, cursor);
      return;
    case 'Defer':
      // A DeferNode runs only at the root of a plan (govgraph.ts, defer.ts); one elsewhere (plan
      // variants for clashing @requires, requiresConflicts.ts) cannot defer.
      throw new GraphQLError('@defer cannot be used in this operation (its fields need several plans)', {
        extensions: { code: ErrorCode.DEFER_NOT_SUPPORTED },
      });
  }
}

/** One entity fetch at several paths (coalesce.ts), sent as one request; each path as Flatten would. */
async function executeCoalesced(
  context: PlanContext,
  group: readonly { path: readonly (string | number)[]; fetch: FetchNode }[],
  cursor: Cursor,
): Promise<void> {
  const targets: Cursor[] = [];
  for (const { path } of group) {
    const data = flattenResultsAtPath(cursor.data, path);
    if (data === undefined || data === null) continue;
    targets.push({ path: cursor.path.concat(path), data, fullResult: cursor.fullResult });
  }
  if (targets.length < 1) return;
  try {
    await executeFetch(context, group[0]!.fetch, targets);
  } catch (error) {
    for (let t = 0; t < targets.length; t++) context.errors.push(error); // once per path, as separate fetches
  }
}

/** `send`'s answer when a coalesced fetch must be repeated per path. */
const SEPARATELY = Symbol('separately');

/** Runs one fetch for the entities at one or more cursors (more only for entity fetches). */
async function executeFetch(
  context: PlanContext,
  fetch: FetchNode,
  targets: readonly Cursor[],
  extensions?: Data,
): Promise<void> {
  const source = context.clients.get(fetch.serviceName);
  if (!source) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities: Data[] = [];
  /** `targetOf[i]`: which cursor entities[i] came from. */
  const targetOf: number[] = [];
  targets.forEach((target, t) => {
    const list = Array.isArray(target.data) ? (target.data as unknown[]) : [target.data];
    for (const e of list) {
      if (e === null || e === undefined) continue;
      entities.push(e as Data);
      targetOf.push(t);
    }
  });
  if (entities.length < 1) return;

  const variables: Data = Object.create(null);
  const provided = context.requestContext.request.variables;
  if (fetch.variableUsages && provided) {
    for (const name of fetch.variableUsages) {
      if (Object.prototype.hasOwnProperty.call(provided, name) && provided[name] !== undefined)
        variables[name] = provided[name];
    }
  }

  if (!fetch.requires) {
    // A root fetch has one cursor: it is never coalesced, so never answered SEPARATELY.
    const received = (await send(context, source, fetch, targets, variables, undefined, extensions)) as
      | Data
      | null
      | undefined;
    if (received) applyRewrites(context.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }

  // Identical representations are sent once (e.g. the same author under every review): the answer
  // is merged into every entity that asked for it. `sentIndex[r]` is where the r-th representation
  // went in the deduplicated list, so subgraph errors can still be mapped to every entity's path.
  const sentIndex: number[] = [];
  const representationToEntity: number[] = [];
  const set = representationSet(fetch, context.supergraphSchema);
  const { representations } = set;
  for (let index = 0; index < entities.length; index++) {
    const sent = set.add(entities[index]!);
    if (sent < 0) continue;
    sentIndex.push(sent);
    representationToEntity.push(index);
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);

  const sent = { sentIndex, targetOf: representationToEntity.map((i) => targetOf[i]!) };
  const received = await send(context, source, fetch, targets, { ...variables, representations }, sent);
  if (received === SEPARATELY) {
    // The subgraph failed the coalesced request as a whole: ask again per path, so that one path's
    // failure costs only that path, as with separate fetches.
    await Promise.all(
      targets.map((target) => executeFetch(context, fetch, [target]).catch((e) => context.errors.push(e))),
    );
    return;
  }
  if (!received) return;
  const list = received._entities;
  if (!Array.isArray(list)) throw new Error(`Expected "data._entities" in response to be an array`);
  if (list.length !== representations.length)
    throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  // Each received entity is rewritten once, however many entities share it.
  const rewritten = fetch.outputRewrites?.length ? new Set<number>() : undefined;
  for (let r = 0; r < sentIndex.length; r++) {
    const sent = sentIndex[r]!;
    const receivedEntity = list[sent] as Data | null | undefined;
    const existing = entities[representationToEntity[r]!];
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing?.__typename;
    if (rewritten && !rewritten.has(sent)) {
      rewritten.add(sent);
      applyRewrites(context.supergraphSchema, fetch.outputRewrites, receivedEntity as Data);
    }
    deepMerge(existing, receivedEntity);
  }
}

async function send(
  context: PlanContext,
  source: SubgraphClient,
  fetch: FetchNode,
  targets: readonly Cursor[],
  variables: Data,
  sent?: { sentIndex: readonly number[]; targetOf: readonly number[] },
  extensions?: Data,
): Promise<Data | null | undefined | typeof SEPARATELY> {
  const { requestContext } = context;
  const response = await source.fetch(
    {
      query: fetch.operation,
      operationName: fetch.operationName,
      variables,
      ...(extensions && { extensions }),
    },
    requestContext.context,
    requestContext.overallCachePolicy as CachePolicy,
  );
  if (targets.length > 1 && !Array.isArray(response.data?._entities)) return SEPARATELY;
  if (response.errors) {
    const errorPaths = targets.map((target) => lazyErrorPath(fetch, target));
    // `local[r]`: the r-th sent entity's index among its own cursor's sent entities.
    const local: number[] = [];
    if (sent) {
      const seen = targets.map(() => 0);
      for (const t of sent.targetOf) local.push(seen[t]!++);
    }
    for (const error of response.errors) {
      const at = error.path?.[1];
      if (sent && error.path?.[0] === '_entities' && typeof at === 'number') {
        // One error per entity that shared the representation, as if each had been sent.
        for (let r = 0; r < sent.sentIndex.length; r++) {
          if (sent.sentIndex[r] !== at) continue;
          const path = [error.path[0], local[r]!, ...error.path.slice(2)];
          const errorPath = errorPaths[sent.targetOf[r]!]!;
          context.errors.push(downstreamError({ ...error, path }, fetch.serviceName, errorPath));
        }
      } else {
        for (const errorPath of errorPaths)
          context.errors.push(downstreamError(error, fetch.serviceName, errorPath));
      }
    }
    if (!response.extensions?.ftv1) {
      const paths = response.errors.map((e) => ({ subgraph: fetch.serviceName, path: e.path }));
      const metrics = requestContext.metrics;
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
      else metrics.nonFtv1ErrorPaths = paths;
    }
  }
  return response.data;
}

/** The values at `path` (`@` = every element of a list), flattened into one list where lists occur. */
function flattenResultsAtPath(value: unknown, path: readonly (string | number)[]): unknown {
  if (!path.includes('@')) return walk(value, path, 0);
  const out: unknown[] = [];
  collect(value, path, 0, out);
  return out;
}

function walk(value: unknown, path: readonly (string | number)[], from: number): unknown {
  for (let i = from; i < path.length; i++) {
    if (value === undefined || value === null) return value;
    const current = path[i]!;
    if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
    const object = value as Data;
    value = Object.prototype.hasOwnProperty.call(object, current) ? object[current as string] : undefined;
  }
  return value;
}

function collect(value: unknown, path: readonly (string | number)[], from: number, out: unknown[]): void {
  for (let i = from; i < path.length; i++) {
    if (value === undefined || value === null) return void out.push(value);
    const current = path[i]!;
    if (current === '@') {
      for (const element of value as unknown[]) collect(element, path, i + 1, out);
      return;
    }
    if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
    const object = value as Data;
    value = Object.prototype.hasOwnProperty.call(object, current) ? object[current as string] : undefined;
  }
  if (Array.isArray(value)) for (const v of value) out.push(v);
  else out.push(value);
}
