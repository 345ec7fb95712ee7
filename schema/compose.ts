/**
 * Supergraph composition, shared by `npm run compose`, the CI check and tests.
 * Composes Federation 2 subgraph SDLs with @apollo/composition; throws one error listing every
 * composition error when the subgraphs do not compose.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';

export interface SubgraphSource {
  name: string;
  /** URL the gateway fetches this subgraph at (recorded in the supergraph's @join__graph). */
  url: string;
  typeDefs: string;
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Composition failed:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

function compose(subgraphs: readonly SubgraphSource[]) {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result;
}

export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  return compose(subgraphs).supergraphSdl;
}

/** One composition, both results: the supergraph document and the API schema (the registry's check and publish). */
export function composeGraph(subgraphs: readonly SubgraphSource[]): {
  supergraphSdl: string;
  apiSchema: GraphQLSchema;
} {
  const result = compose(subgraphs);
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

/** The API schema clients see (what operations are validated against), composed from the subgraphs. */
export function composeApiSchema(subgraphs: readonly SubgraphSource[]): GraphQLSchema {
  return compose(subgraphs).schema.toAPISchema().toGraphQLJSSchema();
}
