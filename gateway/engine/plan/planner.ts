/**
 * Plan preparation: per supergraph, the query planner and what planning needs besides it (the API
 * schema, fields a `@requires` selects with other arguments, clashing `@requires`, progressive
 * override labels); per operation, the operation(s) to plan and their plan for this request's
 * override labels. The planner is @apollo/query-planner's `QueryPlanner` over a
 * `Supergraph.build` of @apollo/federation-internals, both public entry points.
 */
import { operationFromDocument } from '@apollo/federation-internals';
import type { Operation, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { overrideLabels } from './overrideLabels';
import type { OverrideLabels } from './overrideLabels';
import { aliasRequiredFields, requiredFieldNames } from './requiredArguments';
import type { RequiredFieldNames, Unalias } from './requiredArguments';
import { requiresConflicts, splitRequiresConflicts } from './requiresConflicts';
import type { RequiresConflicts } from './requiresConflicts';

export interface Planning {
  readonly planner: QueryPlanner;
  readonly apiSchema: ReturnType<Supergraph['apiSchema']>;
  /** graphql-js form of the API schema (what Apollo Server validates operations against). */
  readonly graphqlApiSchema: GraphQLSchema;
  readonly requiredNames: RequiredFieldNames;
  readonly labels: OverrideLabels;
  readonly conflicts: RequiresConflicts;
}

export function preparePlanning(
  supergraph: Supergraph,
  configuredLabels: ReadonlyMap<string, boolean>,
): Planning {
  const apiSchema = supergraph.apiSchema();
  return {
    // @defer is planned (a DeferNode: the primary block, then the deferred ones; docs/defer.md) and
    // declared in the API schema, so that Apollo Server validates operations that use it.
    planner: new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } }),
    apiSchema,
    graphqlApiSchema: apiSchema.toGraphQLJSSchema({ includeDefer: true }),
    requiredNames: requiredFieldNames(supergraph),
    labels: overrideLabels(supergraph, configuredLabels),
    conflicts: requiresConflicts(supergraph),
  };
}

/** An operation as planned: several variants when it selects fields whose `@requires` clash. */
export interface PlannedOperation {
  readonly forPlan: readonly Operation[];
  /** Its plans by the set of override labels on (overrideLabels.ts). */
  readonly plans: Map<string, QueryPlan>;
  /** Undoes the aliases given to fields a `@requires` selects with other arguments (requiredArguments.ts). */
  readonly unalias?: Unalias;
}

export function planOperation(
  planning: Planning,
  document: DocumentNode,
  operationName: string | undefined,
): PlannedOperation {
  const aliased = aliasRequiredFields(document, planning.requiredNames, operationName);
  const forPlan = splitRequiresConflicts(aliased.document, planning.graphqlApiSchema, planning.conflicts).map(
    (variant) => operationFromDocument(planning.apiSchema, variant, { operationName }),
  );
  return { forPlan, plans: new Map(), unalias: aliased.unalias };
}

/** The operation's plan for this request's override labels (planned once per set of labels on). */
export function planFor(planning: Planning, operation: PlannedOperation): QueryPlan {
  const { key, conditions } = planning.labels.resolve();
  const cached = operation.plans.get(key);
  if (cached) return cached;
  const options = conditions && { overrideConditions: conditions };
  const plans = operation.forPlan.map((op) => planning.planner.buildQueryPlan(op, options));
  // Variants run one after the other over one result tree (requiresConflicts.ts); only queries have
  // variants, so no node is a subscription.
  const nodes = plans.flatMap((p) => (p.node ? [p.node as PlanNode] : []));
  const plan: QueryPlan =
    plans.length === 1
      ? plans[0]!
      : { kind: 'QueryPlan', node: nodes.length ? { kind: 'Sequence', nodes } : undefined };
  operation.plans.set(key, plan);
  return plan;
}
