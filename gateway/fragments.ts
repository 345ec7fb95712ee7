/** The fragment definitions of an operation document, by name (limits, cost, authorization, engine). */
import { Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode } from 'graphql';

export function fragmentsByName(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}
