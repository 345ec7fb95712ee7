/**
 * Removing the fields a caller may not see from an operation before it is planned, so the planner
 * never fetches them, and remembering where they were so the response can say so.
 *
 * `restrictedFields` finds, once per document, the fields it selects that carry any requirement;
 * `rewrite` then drops the denied ones (by coordinate `Type.field`, in the operation and in every
 * fragment alike, since a field's requirements do not depend on where a fragment is spread). A
 * selection set left empty gets a placeholder `_authzTypename: __typename`, as does every selection
 * set on an interface or union, so the response can tell which object types lost a field; the
 * response patch (response.ts) strips it.
 */
import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isCompositeType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { fragmentsByName } from '../../fragments';

/** Alias of the `__typename` the rewrite adds; stripped from every response. */
export const HIDDEN_KEY = '_authzTypename';

export interface RestrictedField {
  readonly coordinate: string;
  readonly parent: GraphQLCompositeType;
  readonly field: GraphQLField<unknown, unknown>;
}

/** The distinct fields of `document` that `hasRequirements` says carry requirements. */
export function restrictedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  hasRequirements: (parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>) => boolean,
): RestrictedField[] {
  const found = new Map<string, RestrictedField>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || field.name.startsWith('__')) return;
        const coordinate = `${parent.name}.${field.name}`;
        if (!found.has(coordinate) && hasRequirements(parent, field))
          found.set(coordinate, { coordinate, parent, field });
      },
    }),
  );
  return [...found.values()];
}

/** One step of a removed field's path: a response key, the field's type, the type it was selected on. */
export interface Step {
  readonly key: string;
  readonly type: GraphQLOutputType;
  readonly on: GraphQLCompositeType;
}

export interface Removal {
  readonly coordinate: string;
  /** From the root to the removed field (list items have no step: paths carry no list indices). */
  readonly steps: readonly Step[];
  /** The `@skip`/`@include` directives on the way (a skipped field is neither null nor an error). */
  readonly conditions: readonly (readonly DirectiveNode[])[];
}

export interface Rewrite {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly removals: readonly Removal[];
  /** Every root field was removed: nothing is left to execute. */
  readonly nothingLeft: boolean;
}

const PLACEHOLDER: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: HIDDEN_KEY },
  name: { kind: Kind.NAME, value: '__typename' },
};

/** `document` without the fields whose coordinates are in `denied`, for operation `operation`. */
export function rewrite(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  denied: ReadonlySet<string>,
): Rewrite {
  const removals = findRemovals(schema, document, operation, denied);
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && denied.has(`${parent.name}.${node.name.value}`)) return null;
        return undefined;
      },
      SelectionSet: {
        leave(node: SelectionSetNode) {
          const type = typeInfo.getParentType();
          const abstract = type !== null && isAbstractType(type);
          if (node.selections.length > 0 && !abstract) return undefined;
          if (node.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === HIDDEN_KEY))
            return undefined;
          return { ...node, selections: [...node.selections, PLACEHOLDER] };
        },
      },
    }),
  );
  const name = operation.name?.value;
  const newOperation = rewritten.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || d.name?.value === name),
  )!;
  const nothingLeft = newOperation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && s.alias?.value === HIDDEN_KEY,
  );
  return { document: rewritten, operation: newOperation, removals, nothingLeft };
}

function findRemovals(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  denied: ReadonlySet<string>,
): Removal[] {
  const fragments = fragmentsByName(document);
  const removals: Removal[] = [];
  const walk = (
    set: SelectionSetNode,
    on: GraphQLCompositeType,
    steps: readonly Step[],
    conditions: readonly (readonly DirectiveNode[])[],
    seen: ReadonlySet<string>,
  ): void => {
    for (const sel of set.selections) {
      const here = sel.directives?.length ? [...conditions, sel.directives] : conditions;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__') || !('getFields' in on)) continue;
        const field = on.getFields()[sel.name.value];
        if (!field) continue;
        const step: Step = { key: sel.alias?.value ?? sel.name.value, type: field.type, on };
        const coordinate = `${on.name}.${field.name}`;
        if (denied.has(coordinate)) removals.push({ coordinate, steps: [...steps, step], conditions: here });
        else if (sel.selectionSet) {
          const named = getNamedType(field.type);
          if (isCompositeType(named)) walk(sel.selectionSet, named, [...steps, step], here, seen);
        }
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
        if (!fragment || (sel.kind === Kind.FRAGMENT_SPREAD && seen.has(sel.name.value))) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : on;
        const next = sel.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, sel.name.value]) : seen;
        const withFragment =
          sel.kind === Kind.FRAGMENT_SPREAD && fragment.directives?.length
            ? [...here, fragment.directives]
            : here;
        if (condition && isCompositeType(condition))
          walk(fragment.selectionSet, condition, steps, withFragment, next);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, [], [], new Set());
  return removals;
}
