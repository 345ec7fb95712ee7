/**
 * Keeps a client's field apart from a `@requires` selection of the same field with other arguments
 * (audit case `requires-with-argument`). The planner identifies a selection by response name and
 * directives, not arguments (federation-internals `Field.key()`), so `comments(limit: 1)` asked by
 * the client and `comments(limit: 3)` required by `Post.author` merge into one subgraph selection
 * with the first arguments, and the client gets three comments.
 *
 * Before planning, every un-aliased client field whose name a `@requires` selects with arguments
 * (or which has arguments itself and whose name a `@requires` selects) is given a private alias:
 * the planner then fetches both, the `@requires` representation is still built from the plain
 * name, and after execution the client's value is moved back under its own name, so the shaper,
 * compiled from the client's operation, reads it. Other fields and operations are left untouched.
 */
import { Kind, parse, visit } from 'graphql';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import type { Supergraph } from '@apollo/federation-internals';

const SUFFIX = '__govgraph_client';

export interface RequiredFieldNames {
  /** Names a `@requires` selects with arguments. */
  readonly withArguments: ReadonlySet<string>;
  /** Every name a `@requires` selects. */
  readonly any: ReadonlySet<string>;
}

/** The field names `@requires` selections use, read from the supergraph's `@join__field(requires:)`. */
export function requiredFieldNames(supergraph: Supergraph): RequiredFieldNames {
  const withArguments = new Set<string>();
  const any = new Set<string>();
  const joinField = supergraph.schema.directive('join__field');
  for (const application of joinField?.applications() ?? []) {
    const requires = (application.arguments() as { requires?: string }).requires;
    if (!requires) continue;
    visit(parse(`{${requires}}`, { noLocation: true }), {
      Field(node) {
        any.add(node.name.value);
        if (node.arguments?.length) withArguments.add(node.name.value);
      },
    });
  }
  return { withArguments, any };
}

/** Moves the client's values (fetched under private aliases) back to their names, in place. */
export type Unalias = (data: Record<string, unknown>) => void;

interface RenameTree {
  renames: Map<string, string>; // alias -> name
  children: Map<string, RenameTree>; // response name in the fetched data -> subtree
}

/**
 * The document to plan and the function that undoes its aliases in the executed data; the document
 * itself (and no function) when nothing needs an alias.
 */
export function aliasRequiredFields(
  document: DocumentNode,
  names: RequiredFieldNames,
  operationName: string | null | undefined,
): { document: DocumentNode; unalias?: Unalias } {
  if (names.any.size === 0) return { document };
  let changed = false;
  const rewritten = visit(document, {
    Field(node): FieldNode | undefined {
      if (node.alias) return undefined;
      const name = node.name.value;
      const conflicts = names.withArguments.has(name) || (!!node.arguments?.length && names.any.has(name));
      if (!conflicts) return undefined;
      changed = true;
      return { ...node, alias: { kind: Kind.NAME, value: name + SUFFIX } };
    },
  });
  if (!changed) return { document };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of rewritten.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = rewritten.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return { document };
  const tree = emptyTree();
  collect(operation.selectionSet, fragments, tree, new Set());
  return { document: rewritten, unalias: (data) => apply(tree, data) };
}

function emptyTree(): RenameTree {
  return { renames: new Map(), children: new Map() };
}

/** Fragments and type conditions are flattened: a response name means one field per object. */
function collect(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  tree: RenameTree,
  visiting: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const responseName = selection.alias?.value ?? selection.name.value;
      if (responseName.endsWith(SUFFIX)) tree.renames.set(responseName, selection.name.value);
      if (!selection.selectionSet) continue;
      let child = tree.children.get(responseName);
      if (!child) tree.children.set(responseName, (child = emptyTree()));
      collect(selection.selectionSet, fragments, child, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, fragments, tree, visiting);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      collect(fragment.selectionSet, fragments, tree, visiting);
      visiting.delete(fragment.name.value);
    }
  }
}

function apply(tree: RenameTree, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const element of value) apply(tree, element);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const [responseName, child] of tree.children) {
    if (Object.prototype.hasOwnProperty.call(object, responseName)) apply(child, object[responseName]);
  }
  for (const [alias, name] of tree.renames) {
    // The plain name holds the @requires copy (other arguments): it must never reach the client.
    if (Object.prototype.hasOwnProperty.call(object, alias)) object[name] = object[alias];
    else delete object[name];
    delete object[alias];
  }
}
