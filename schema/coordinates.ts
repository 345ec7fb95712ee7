/**
 * The schema coordinates (`Type.field`) an operation selects. Neutral code: the gateway's usage report
 * (gateway/features/usageReport.ts) counts them per request, and the schema registry
 * (registry/documents.ts) stores them for each registered trusted document, so recorded usage and
 * trusted documents are matched against a check's changes by the same coordinates.
 */
import type { DocumentNode, GraphQLSchema } from 'graphql';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** Every `Type.field` the operation selects, fragments included (introspection fields left out). */
export function usedCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
): string[] {
  const operation = document.definitions.find(
    (d) =>
      d.kind === Kind.OPERATION_DEFINITION && (operationName === null || d.name?.value === operationName),
  );
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const seen = new Set<string>();
  const visited = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const walk = (node: Parameters<typeof visit>[0]) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          const parent = typeInfo.getParentType();
          const name = field.name.value;
          if (!parent || name.startsWith('__')) return;
          if (isObjectType(parent) || isInterfaceType(parent))
            seen.add(`${getNamedType(parent).name}.${name}`);
        },
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (!fragment || visited.has(spread.name.value)) return;
          visited.add(spread.name.value);
          walk(fragment);
        },
      }),
    );
  walk(operation);
  return [...seen].sort();
}
