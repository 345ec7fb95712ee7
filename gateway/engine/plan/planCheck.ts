/**
 * A check on every query plan before it runs (@apollo/gateway's `experimental_didResolveQueryPlan`).
 *
 * The planner returns an empty plan (nothing to fetch) when it cannot find any way to reach a field
 * through abstract types — e.g. an interface that no subgraph implements, whose only other subgraph
 * declares it `@interfaceObject` with `resolvable: false` (federation audit
 * `non-resolvable-interface-object`, `{ a { field } }`). Executing that plan answers
 * `{"data":{}}`: the selected field silently disappears. A plan can only be legitimately empty when
 * the operation selects nothing a subgraph serves (`__typename`, introspection, or fields skipped by
 * `@skip`/`@include`), so any other empty plan is refused with a GraphQL error naming the field.
 */
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, Kind } from 'graphql';
import type { DirectiveNode, FragmentDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';

interface PlanCheckInput {
  queryPlan: QueryPlan;
  operationContext: {
    operation: { selectionSet: SelectionSetNode };
    fragments: Record<string, FragmentDefinitionNode>;
  };
  requestContext: { request: { variables?: Record<string, unknown> } };
}

export function refuseUnresolvablePlans({
  queryPlan,
  operationContext,
  requestContext,
}: PlanCheckInput): void {
  if (queryPlan.node) return;
  const variables = requestContext.request.variables ?? {};
  const field = firstServedField(
    operationContext.operation.selectionSet,
    operationContext.fragments,
    variables,
  );
  if (field === undefined) return;
  throw new GraphQLError(`Cannot query field "${field}": no subgraph can resolve it for this operation`, {
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
  });
}

const META_FIELDS = new Set(['__typename', '__schema', '__type']);

/** The name of the first root field that would have to come from a subgraph, if any. */
function firstServedField(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): string | undefined {
  for (const selection of set.selections) {
    if (!included(selection.directives, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      if (!META_FIELDS.has(selection.name.value)) return selection.name.value;
      continue;
    }
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments[selection.name.value]?.selectionSet;
    const found = inner && firstServedField(inner, fragments, variables);
    if (found !== undefined) return found;
  }
  return undefined;
}

function included(
  directives: readonly DirectiveNode[] | undefined,
  variables: Record<string, unknown>,
): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    const value = arg ? booleanOf(arg, variables) : undefined;
    if (value === undefined) continue; // unknown: assume the field is selected
    if ((name === 'skip') === value) return false;
  }
  return true;
}

function booleanOf(node: ValueNode, variables: Record<string, unknown>): boolean | undefined {
  if (node.kind === Kind.BOOLEAN) return node.value;
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === 'boolean' ? value : undefined;
  }
  return undefined;
}
