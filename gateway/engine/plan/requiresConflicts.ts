/**
 * Two `@requires` of one field with different arguments (audit case `requires-with-argument-conflict`:
 * `shippingEstimate` requires `price(currency: "USD")`, `shippingEstimateEUR` `price(currency: "EUR")`).
 * The planner merges both into one `price` selection (its selection key ignores arguments) and one
 * fetch whose representations carry one price, so one of the two fields is computed from the wrong
 * input. Keeping them apart inside a plan would need the planner to alias fetch inputs.
 *
 * The engine instead plans such an operation in variants: each variant keeps at most one field of
 * every conflicting set (the others are removed), and the variants' plans run one after the other
 * over the same result tree. A variant's `@requires` inputs are fetched by its own plan just before
 * they are used, so each field sees its own arguments' data; every other field is fetched by each
 * variant with the same value. This costs the extra fetches only for operations that select
 * conflicting fields together; mutations are never planned twice (they would run twice).
 */
import { Kind, TypeInfo, parse, print, visit, visitWithTypeInfo } from 'graphql';
import type { DocumentNode, FieldNode, GraphQLSchema, SelectionSetNode } from 'graphql';
import type { Supergraph } from '@apollo/federation-internals';

/** For each type, for each field with a `@requires`, the fields whose `@requires` conflict with it. */
export type RequiresConflicts = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

/** Reads every `@join__field(requires:)` of the supergraph and pairs the fields whose inputs clash. */
export function requiresConflicts(supergraph: Supergraph): RequiresConflicts {
  // type -> field -> (path in the required selection -> printed arguments)
  const inputs = new Map<string, Map<string, Map<string, string>>>();
  for (const application of supergraph.schema.directive('join__field')?.applications() ?? []) {
    const requires = (application.arguments() as { requires?: string }).requires;
    const field = application.parent as unknown as { name: string; parent?: { name: string } };
    if (!requires || !field.parent) continue;
    let byField = inputs.get(field.parent.name);
    if (!byField) inputs.set(field.parent.name, (byField = new Map()));
    const paths = byField.get(field.name) ?? new Map<string, string>();
    byField.set(field.name, paths);
    const document = parse(`{${requires}}`, { noLocation: true });
    const definition = document.definitions[0];
    if (definition?.kind === Kind.OPERATION_DEFINITION) collectPaths(definition.selectionSet, '', paths);
  }
  const conflicts = new Map<string, Map<string, Set<string>>>();
  for (const [type, byField] of inputs) {
    const fields = [...byField.keys()];
    for (let i = 0; i < fields.length; i++)
      for (let j = i + 1; j < fields.length; j++) {
        const a = byField.get(fields[i]!)!;
        const b = byField.get(fields[j]!)!;
        if (![...a].some(([path, args]) => b.has(path) && b.get(path) !== args)) continue;
        let byType = conflicts.get(type);
        if (!byType) conflicts.set(type, (byType = new Map()));
        for (const [x, y] of [
          [fields[i]!, fields[j]!],
          [fields[j]!, fields[i]!],
        ] as const) {
          const set = byType.get(x) ?? new Set<string>();
          set.add(y);
          byType.set(x, set);
        }
      }
  }
  return conflicts;
}

function collectPaths(selectionSet: SelectionSetNode, prefix: string, out: Map<string, string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const path = `${prefix}${selection.name.value}`;
      out.set(
        path,
        (selection.arguments ?? [])
          .map((a) => print(a))
          .sort()
          .join(','),
      );
      if (selection.selectionSet) collectPaths(selection.selectionSet, `${path}.`, out);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectPaths(selection.selectionSet, prefix, out);
    }
  }
}

/**
 * The documents to plan: the document itself when it selects no two conflicting fields of one type
 * (or is a mutation), otherwise one variant per group of compatible fields.
 */
export function splitRequiresConflicts(
  document: DocumentNode,
  schema: GraphQLSchema,
  conflicts: RequiresConflicts,
): DocumentNode[] {
  if (conflicts.size === 0) return [document];
  if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query'))
    return [document];
  // Fields selected per type, then greedily grouped so that no group holds two conflicting fields.
  const selected = new Map<string, Set<string>>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getParentType()?.name;
        if (type && conflicts.get(type)?.has(node.name.value)) {
          const set = selected.get(type) ?? new Set<string>();
          set.add(node.name.value);
          selected.set(type, set);
        }
      },
    }),
  );
  const groupOf = new Map<string, number>(); // `type.field` -> variant
  let variants = 1;
  for (const [type, fields] of selected) {
    const groups: string[][] = [];
    for (const field of fields) {
      const against = conflicts.get(type)!.get(field)!;
      let g = groups.findIndex((group) => !group.some((other) => against.has(other)));
      if (g === -1) g = groups.push([]) - 1;
      groups[g]!.push(field);
      groupOf.set(`${type}.${field}`, g);
    }
    variants = Math.max(variants, groups.length);
  }
  if (variants === 1) return [document];
  const out: DocumentNode[] = [];
  for (let variant = 0; variant < variants; variant++) {
    const info = new TypeInfo(schema);
    const pruned = visit(
      document,
      visitWithTypeInfo(info, {
        Field(node) {
          const g = groupOf.get(`${info.getParentType()?.name}.${node.name.value}`);
          return g === undefined || g === variant ? undefined : null;
        },
      }),
    );
    out.push(visit(pruned, { SelectionSet: { leave: keepNonEmpty } }));
  }
  return out;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** A selection set left empty by the pruning still needs a field to be valid. */
function keepNonEmpty(node: SelectionSetNode): SelectionSetNode | undefined {
  return node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined;
}
