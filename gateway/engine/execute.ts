/**
 * Runs a query plan: Sequence, Parallel, Flatten, Fetch and Condition nodes over one mutable result
 * tree. Entity fetches build their `representations` from the plan's `requires` selections (which
 * is how `@requires` fields and keys reach a subgraph), send them through the gateway's subgraph data
 * sources (so every feature's fetch wrapper runs), and merge `_entities` back in place. Subgraph
 * errors keep their message and code, gain `serviceName`, and get a path in the client's response.
 *
 * Semantics follow @apollo/gateway's executeQueryPlan (both engines must answer the same), minus
 * its per-request costs: no usage-reporting trace nodes, no tracing spans, no re-parsing of the
 * operation per request.
 */
import type { GraphQLDataSource } from '@apollo/gateway';
// Internal modules of the pinned @apollo/gateway (2.14.4): the rewrites the planner asks for
// (interface objects, @context) are applied exactly as the reference engine applies them.
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { VariableDefinitions } from '@apollo/federation-internals';
import { evaluateCondition } from '@apollo/query-planner';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context';
import { deepMerge, representationSet } from './representations';

type Data = Record<string, unknown>;
type Path = (string | number)[];

interface Cursor {
  path: Path;
  data: unknown;
  fullResult: Data;
}

export interface PlanContext {
  readonly requestContext: GatewayGraphQLRequestContext<GatewayContext>;
  readonly sources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>;
  /** graphql-js form of the supergraph (for rewrites and abstract type conditions). */
  readonly supergraphSchema: GraphQLSchema;
  /** The operation's variable definitions (Condition nodes fall back to their defaults). */
  readonly variableDefinitions: VariableDefinitions;
  readonly errors: unknown[];
}

export async function executeNode(context: PlanContext, node: PlanNode, cursor: Cursor): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(context, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(context, child, cursor)));
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
        await executeFetch(context, node, cursor);
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
    case 'Defer':
      throw new Error('@defer support is not available in the gateway');
  }
}

async function executeFetch(context: PlanContext, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const source = context.sources.get(fetch.serviceName);
  if (!source) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities: Data[] = Array.isArray(cursor.data)
    ? (cursor.data.filter((e) => e !== null && e !== undefined) as Data[])
    : [cursor.data as Data];
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
    const received = await send(context, source, fetch, cursor, variables);
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

  const received = await send(context, source, fetch, cursor, { ...variables, representations }, sentIndex);
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
  source: GraphQLDataSource<GatewayContext>,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Data,
  sentIndex?: readonly number[],
): Promise<Data | null | undefined> {
  const { requestContext } = context;
  const response = await source.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: requestContext as never,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path as never,
  });
  if (response.errors) {
    const errorPath = lazyErrorPath(fetch, cursor);
    for (const error of response.errors) {
      const sent = error.path?.[1];
      if (sentIndex && error.path?.[0] === '_entities' && typeof sent === 'number') {
        // One error per entity that shared the representation, as if each had been sent.
        for (let r = 0; r < sentIndex.length; r++) {
          if (sentIndex[r] !== sent) continue;
          const path = [error.path[0], r, ...error.path.slice(2)];
          context.errors.push(downstreamError({ ...error, path }, fetch.serviceName, errorPath));
        }
      } else {
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

/** Where a subgraph error belongs in the client's response: entity errors map `_entities.i` back. */
function lazyErrorPath(
  fetch: FetchNode,
  cursor: Cursor,
): (path: readonly (string | number)[] | undefined) => Path | undefined {
  let hydrated: Path[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        hydratePaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

function hydratePaths(parent: Path, path: Path, data: unknown, result: Path[]): void {
  if (data === null || data === undefined) return;
  const head = path[0];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    (data as unknown[]).forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (Array.isArray(data)) {
    data.forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path, value, result);
      parent.pop();
    });
  } else if (Object.prototype.hasOwnProperty.call(data, head)) {
    parent.push(head);
    hydratePaths(parent, path.slice(1), (data as Data)[head as string], result);
    parent.pop();
  }
}

function downstreamError(
  original: GraphQLFormattedError,
  serviceName: string,
  errorPath: (path: readonly (string | number)[] | undefined) => Path | undefined,
): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path: errorPath(original.path),
    extensions: { ...original.extensions, serviceName },
  };
  const code = errorCodeDef(original);
  if (!code && original.extensions?.code) return new GraphQLError(message, options);
  return (code ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
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
