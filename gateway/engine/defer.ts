/**
 * `@defer` on the govgraph engine (docs/defer.md): running a plan's DeferNode. The primary block
 * runs first and is shaped into the initial payload; the deferred blocks run only when the client
 * has been sent it (the route pulls the first subsequent payload after writing the initial one),
 * in parallel, each shaped at every object its path reaches and sent as soon as it is ready. A
 * deferred block that is itself a DeferNode (a nested `@defer`) sends its primary part, then
 * starts its own deferred blocks. Each block collects its own errors: a failed deferred fetch
 * lands in that block's payload, never in the initial one.
 */
import type { Operation, Schema } from '@apollo/federation-internals';
import { evaluateCondition } from '@apollo/query-planner';
import type { DeferNode, DeferredNode, PlanNode } from '@apollo/query-planner';
import type { GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import { deferRest, incrementalAccepted } from '../incremental';
import type { IncrementalItem, SubsequentPayload } from '../incremental';
import { executeNode } from './execute/execute';
import type { PlanContext } from './execute/execute';
import { compileDeferredShaper, deferredTargets, mergeDelivered } from './shape/deferred';
import { compileSelectionShaper } from './shape/shape';
import type { IntrospectionHandler, SelectionShaper } from './shape/shape';

type Data = Record<string, unknown>;

/** The operation's DeferNode when its plan defers for these variables (a `Condition` on `@defer(if:)` resolved). */
export function rootDefer(node: PlanNode | undefined, context: PlanContext): DeferNode | undefined {
  while (node?.kind === 'Condition') {
    const { variableDefinitions, requestContext } = context;
    const chosen = evaluateCondition(node, variableDefinitions, requestContext.request.variables)
      ? node.ifClause
      : node.elseClause;
    if (chosen?.kind !== 'Defer' && chosen?.kind !== 'Condition') return undefined;
    node = chosen;
  }
  return node?.kind === 'Defer' && node.deferred.length > 0 ? node : undefined;
}

/**
 * Runs a plan that defers: the primary block runs and is shaped into what Apollo Server answers
 * (the initial payload); the deferred blocks are left for the route, which runs them once it has
 * written the initial payload (incremental.ts). A client that does not take incremental delivery
 * is refused (406) before anything runs.
 */
export async function executeDeferring(
  planContext: PlanContext,
  defer: DeferNode,
  operation: { shapers: DeferShapers; schema: Schema; unalias?: (data: Data) => void },
): Promise<GatewayExecutionResult> {
  const { requestContext } = planContext;
  if (!incrementalAccepted(requestContext.context)) return { errors: [notAccepted()] };
  const variables = requestContext.request.variables;
  const data: Data = Object.create(null);
  if (defer.primary.node)
    await executeNode(planContext, defer.primary.node, { path: [], data, fullResult: data });
  operation.unalias?.(data);
  let shaped;
  try {
    shaped = operation.shapers.primary(defer)(data, variables, []);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    throw error;
  }
  const errors = planContext.errors as GraphQLError[];
  if (shaped.data) {
    const run: DeferredRun = {
      context: (blockErrors) => ({ ...planContext, errors: blockErrors }),
      shapers: operation.shapers,
      schema: operation.schema,
      data,
      delivered: structuredClone(shaped.data),
      variables,
      unalias: operation.unalias,
    };
    deferRest(requestContext.context, subsequentPayloads(run, defer.deferred));
  }
  // As for a whole answer (govgraph.ts): value-completion errors only when no fetch failed.
  if (errors.length === 0 && shaped.errors.length > 0)
    return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
  return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
}

function notAccepted(): GraphQLError {
  return new GraphQLError(
    'This operation uses @defer, which is delivered incrementally: send ' +
      "'Accept: multipart/mixed;deferSpec=20220824, application/json' (docs/defer.md)",
    { extensions: { code: ErrorCode.INCREMENTAL_DELIVERY_NOT_ACCEPTED, http: { status: 406 } } },
  );
}

/** Whether a plan has a DeferNode anywhere (it needs a client that takes incremental delivery). */
export function plansDefer(node: PlanNode | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'Defer':
      return true;
    case 'Condition':
      return plansDefer(node.ifClause) || plansDefer(node.elseClause);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(plansDefer);
    case 'Flatten':
      return plansDefer(node.node);
    default:
      return false;
  }
}

/** The shapers of one plan's defer blocks, compiled on first use and kept with the plan. */
export class DeferShapers {
  private readonly shapers = new WeakMap<object, SelectionShaper>();
  constructor(
    private readonly operation: Operation,
    private readonly introspection: IntrospectionHandler,
  ) {}

  /**
   * The primary block's shaper (the initial payload's selection, from the root). The planner's
   * subselection leaves out the root's `__typename` and introspection fields (the gateway answers
   * them, not a subgraph): those of the operation's root are shaped beside it.
   */
  primary(node: DeferNode): SelectionShaper {
    const primary = this.get(node, [], node.primary.subselection);
    const meta = this.rootMeta();
    if (!meta) return primary;
    return (input, variables, path) => {
      const head = meta(input, variables, path);
      const rest = primary(input, variables, path);
      if (!head.data || !rest.data) return rest;
      return { data: { ...head.data, ...rest.data }, errors: [...head.errors, ...rest.errors] };
    };
  }

  private rootMeta(): SelectionShaper | undefined {
    if (this.meta === undefined) {
      const set = this.operation.selectionSet.filter(
        (s) => s.kind === 'FieldSelection' && s.element.name.startsWith('__'),
      );
      this.meta = set.isEmpty()
        ? null
        : compileSelectionShaper(
            this.operation.schema(),
            this.operation.schema().schemaDefinition.rootType(this.operation.rootKind)!,
            set,
            this.operation.collectDefaultedVariableValues(),
            this.introspection,
          );
    }
    return this.meta ?? undefined;
  }
  private meta: SelectionShaper | null | undefined;

  /** A deferred block's shaper: its subselection, or its own primary's when it nests `@defer`. */
  deferred(block: DeferredNode): SelectionShaper {
    const subselection = block.node?.kind === 'Defer' ? block.node.primary.subselection : block.subselection;
    return this.get(block, block.queryPath, subselection);
  }

  private get(key: object, queryPath: readonly string[], subselection: string | undefined): SelectionShaper {
    let shaper = this.shapers.get(key);
    if (!shaper)
      this.shapers.set(
        key,
        (shaper = compileDeferredShaper(this.operation, queryPath, subselection, this.introspection)),
      );
    return shaper;
  }
}

export interface DeferredRun {
  /** The plan context of a block: the request's, with the block's own error list. */
  context(errors: unknown[]): PlanContext;
  readonly shapers: DeferShapers;
  /** The API schema (type conditions on a deferred fragment's path). */
  readonly schema: Schema;
  /** The plan's result tree after the primary block (deferred fetches merge into it). */
  readonly data: Data;
  /** What the initial payload sent (its `data`); deferred fragments land where it has objects. */
  readonly delivered: Data;
  readonly variables: Record<string, unknown> | undefined;
  /** Undoes the planner's private aliases after each block (plan/requiredArguments.ts). */
  readonly unalias?: (data: Data) => void;
}

/**
 * The payloads after the initial one. Nothing runs until the first is asked for; payloads ready at
 * the same time go out together; the last has `hasNext: false`.
 */
export async function* subsequentPayloads(
  run: DeferredRun,
  blocks: readonly DeferredNode[],
): AsyncGenerator<SubsequentPayload> {
  const ready: SubsequentPayload[] = [];
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const start = (block: DeferredNode): void => {
    outstanding++;
    void runBlock(run, block).then(({ payload, nested }) => {
      ready.push(payload);
      for (const child of nested) start(child); // before this block counts as done: hasNext stays true
      outstanding--;
      wake?.();
    });
  };
  for (const block of blocks) start(block);
  while (outstanding > 0 || ready.length > 0) {
    if (ready.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    const incremental: IncrementalItem[] = [];
    const errors: GraphQLFormattedError[] = [];
    for (const payload of ready.splice(0)) {
      incremental.push(...(payload.incremental ?? []));
      errors.push(...(payload.errors ?? []));
    }
    const hasNext = outstanding > 0;
    yield { ...(incremental.length > 0 && { incremental }), ...(errors.length > 0 && { errors }), hasNext };
  }
}

/** Runs one deferred block and shapes its payload; a nested DeferNode's own blocks are returned to start next. */
async function runBlock(
  run: DeferredRun,
  block: DeferredNode,
): Promise<{ payload: SubsequentPayload; nested: readonly DeferredNode[] }> {
  const errors: unknown[] = [];
  const inner = block.node?.kind === 'Defer' ? block.node : undefined;
  try {
    const node = inner ? inner.primary.node : block.node;
    if (node)
      await executeNode(run.context(errors), node, { path: [], data: run.data, fullResult: run.data });
    run.unalias?.(run.data);
    const shaper = run.shapers.deferred(block);
    const targets = deferredTargets(run.schema, run.delivered, run.data, block.queryPath);
    const items: IncrementalItem[] = [];
    for (const target of targets) {
      const shaped = shaper(target.source, run.variables, target.path);
      const item: IncrementalItem = { data: shaped.data ?? null, path: target.path };
      if (block.label !== undefined) item.label = block.label;
      // As for a whole answer (govgraph.ts): value-completion errors are reported only when no
      // fetch failed, and in `extensions.valueCompletion`.
      if (shaped.errors.length > 0 && errors.length === 0)
        item.extensions = { valueCompletion: shaped.errors.map(formatted) };
      if (item.data) mergeDelivered(run.delivered, target.path, item.data);
      items.push(item);
    }
    const leftover = placeErrors(items, errors.map(formatted));
    return {
      payload: {
        ...(items.length > 0 && { incremental: items }),
        ...(leftover.length > 0 && { errors: leftover }),
        hasNext: true,
      },
      nested: inner?.deferred ?? [],
    };
  } catch (error) {
    return { payload: { errors: [formatted(error)], hasNext: true }, nested: [] };
  }
}

/** Each error goes to the item whose path starts its own; the rest stay for the payload itself. */
function placeErrors(items: IncrementalItem[], errors: GraphQLFormattedError[]): GraphQLFormattedError[] {
  const leftover: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const path = error.path ?? [];
    const item = items.find((i) => i.path.every((element, index) => path[index] === element)) ?? items[0];
    if (item) (item.errors ??= []).push(error);
    else leftover.push(error);
  }
  return leftover;
}

function formatted(error: unknown): GraphQLFormattedError {
  if (error instanceof GraphQLError) return error.toJSON();
  return new GraphQLError(error instanceof Error ? error.message : String(error), {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  }).toJSON();
}
