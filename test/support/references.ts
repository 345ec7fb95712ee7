/**
 * Every mutation of every registered subgraph, read from its SDL, with the inputs that name an entity
 * (`@references(entity:, scope:)`, kit/runtime/sdl/shared.graphql) and the ID-like inputs nobody marked. The
 * generated jurisdiction test (test/jurisdiction.int.test.ts) walks this, so a new mutation or a new
 * input is covered without editing the test.
 */
import { Kind, parse } from 'graphql';
import type {
  ConstDirectiveNode,
  DocumentNode,
  FieldDefinitionNode,
  InputValueDefinitionNode,
  TypeNode,
} from 'graphql';
import { registeredSources } from '../../scripts/compose';

/** One input that names an entity: where it is, what it names and where that may come from. */
export interface Reference {
  /** Path in the mutation's arguments, e.g. `['input', 'signer', 'officialId']`; `[]` is a list element's step. */
  readonly path: readonly string[];
  readonly entity: string;
  readonly scope: 'JURISDICTION' | 'CATALOGUE';
  /** Whether the value (or its last step) is a list, e.g. `recipientCodes: [ID!]`. */
  readonly list: boolean;
}

export interface MutationShape {
  readonly subgraph: string;
  readonly name: string;
  /** `($input: T!)` and `(input: $input)`: the operation's variable definitions and arguments. */
  readonly variables: string;
  readonly args: string;
  /** `{ __typename }` for an object result, empty for a scalar. */
  readonly selection: string;
  readonly references: readonly Reference[];
  /** ID-like inputs (type ID, or named `id`, `…Id`, `…Ids`, `…Code`, `…Codes`) without `@references`. */
  readonly unmarked: readonly string[];
}

const ID_LIKE_NAME = /^ids?$|[a-z](Id|Ids|Code|Codes)$/;

const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));
const isList = (t: TypeNode): boolean =>
  t.kind === Kind.LIST_TYPE || (t.kind === Kind.NON_NULL_TYPE && isList(t.type));
const print = (t: TypeNode): string =>
  t.kind === Kind.NAMED_TYPE
    ? t.name.value
    : t.kind === Kind.LIST_TYPE
      ? `[${print(t.type)}]`
      : `${print(t.type)}!`;

function referenceOf(d: readonly ConstDirectiveNode[] | undefined): Omit<Reference, 'path' | 'list'> | null {
  const dir = d?.find((x) => x.name.value === 'references');
  if (!dir) return null;
  const arg = (name: string): string | undefined => {
    const v = dir.arguments?.find((a) => a.name.value === name)?.value;
    return v?.kind === Kind.ENUM ? v.value : undefined;
  };
  return { entity: arg('entity')!, scope: (arg('scope') ?? 'JURISDICTION') as Reference['scope'] };
}

/** The mutations of one subgraph SDL. */
export function mutationShapes(subgraph: string, doc: DocumentNode): MutationShape[] {
  const inputs = new Map<string, readonly InputValueDefinitionNode[]>();
  const objects = new Set<string>();
  const mutationFields: FieldDefinitionNode[] = [];
  for (const def of doc.definitions) {
    if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION)
      inputs.set(def.name.value, [...(inputs.get(def.name.value) ?? []), ...(def.fields ?? [])]);
    if (
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_EXTENSION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      def.kind === Kind.UNION_TYPE_DEFINITION
    ) {
      objects.add(def.name.value);
      if (
        (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) &&
        def.name.value === 'Mutation'
      )
        mutationFields.push(...(def.fields ?? []));
    }
  }
  return mutationFields.map((field) => {
    const references: Reference[] = [];
    const unmarked: string[] = [];
    const walk = (
      values: readonly InputValueDefinitionNode[],
      prefix: readonly string[],
      seen: Set<string>,
    ): void => {
      for (const v of values) {
        const path = [...prefix, v.name.value];
        const ref = referenceOf(v.directives);
        const typeName = named(v.type);
        if (ref) references.push({ ...ref, path, list: isList(v.type) });
        else if (typeName === 'ID' || ID_LIKE_NAME.test(v.name.value)) unmarked.push(path.join('.'));
        const nested = inputs.get(typeName);
        if (nested && !seen.has(typeName)) walk(nested, path, new Set([...seen, typeName]));
      }
    };
    const args = field.arguments ?? [];
    walk(args, [], new Set());
    return {
      subgraph,
      name: field.name.value,
      variables: args.map((a) => `$${a.name.value}: ${print(a.type)}`).join(', '),
      args: args.map((a) => `${a.name.value}: $${a.name.value}`).join(', '),
      selection: objects.has(named(field.type)) ? '{ __typename }' : '',
      references,
      unmarked,
    };
  });
}

/** Every mutation of every registered subgraph (its own SDL with the kit's shared SDL). */
export function registeredMutations(): MutationShape[] {
  return registeredSources().flatMap((s) => mutationShapes(s.name, parse(s.typeDefs)));
}

/** The operation that calls `m` with variables named after its arguments. */
export const operationOf = (m: MutationShape): string =>
  `mutation${m.variables ? `(${m.variables})` : ''} { ${m.name}${m.args ? `(${m.args})` : ''} ${m.selection} }`;
