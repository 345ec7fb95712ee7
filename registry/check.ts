/**
 * The schema check (issue 19): the proposed SDL of one subgraph composed with the other subgraphs the
 * environment serves now (@apollo/composition, schema/compose.ts), then the API schema clients see
 * before and after compared by @graphql-inspector/core. Each change is classified as breaking,
 * dangerous or safe and named by its schema coordinate (`Type.field`, `Type.field(arg:)`).
 *
 * A check passes when the graph composes and nothing is breaking; dangerous changes (an enum value
 * added, a default changed) are reported but pass.
 */
import { createHash } from 'node:crypto';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { composeGraph, CompositionError } from '../schema/compose';
import type { SubgraphSource } from '../schema/compose';

export type Severity = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  severity: Severity;
  /** inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** The schema coordinate, e.g. `Permit.holder` (null for schema-wide changes). */
  coordinate: string | null;
  message: string;
  /**
   * Breaking changes: who used what they break (usage.ts): the registered trusted documents that
   * select it (`trusted`, whatever ran), then the operations recorded in the usage window, most used
   * first. `count` is the recorded uses in the window (0 for a trusted document nothing ran).
   */
  usedBy?: { client: string; operation: string; count: number; trusted?: true }[];
  /** Uses beyond those listed. */
  usedByMore?: number;
}

export interface CheckResult {
  /** True when the graph composes and no change is breaking. */
  ok: boolean;
  /** Composition errors (empty when it composes). */
  compositionErrors: string[];
  changes: SchemaChange[];
  /** The composed supergraph with the proposal (null when it does not compose). */
  supergraphSdl: string | null;
  /** Its API schema (contracts are cut from it: contracts.ts); absent when it does not compose. */
  apiSchema?: GraphQLSchema;
}

const SEVERITY: Record<string, Severity> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};
const ORDER: Record<Severity, number> = { breaking: 0, dangerous: 1, safe: 2 };

/** The changes from `before` to `after`, breaking first, then by coordinate. */
export async function classify(before: GraphQLSchema, after: GraphQLSchema): Promise<SchemaChange[]> {
  const changes = await diff(before, after);
  return changes
    .map((c) => ({
      severity: SEVERITY[c.criticality.level] ?? 'breaking',
      type: String(c.type),
      coordinate: c.path ?? null,
      message: c.message,
    }))
    .sort(
      (a, b) =>
        ORDER[a.severity] - ORDER[b.severity] || (a.coordinate ?? '').localeCompare(b.coordinate ?? ''),
    );
}

/**
 * API schemas of graphs served lately, by a hash of their subgraphs: each check composes once, not
 * twice, and trusted documents (documents.ts) are validated against the same schema.
 */
const served = new Map<string, GraphQLSchema>();
const SERVED_LIMIT = 16;

export function servedApiSchema(current: readonly SubgraphSource[]): GraphQLSchema {
  const hash = createHash('sha256');
  for (const s of current) hash.update(`${s.name}\0${s.url}\0${s.typeDefs}\0`);
  const key = hash.digest('hex');
  let schema = served.get(key);
  if (!schema) {
    schema = composeGraph(current).apiSchema;
    if (served.size >= SERVED_LIMIT) served.delete(served.keys().next().value!);
    served.set(key, schema);
  }
  return schema;
}

/**
 * Checks `proposed` against `current` (the environment's subgraphs now; the proposal replaces the one of
 * the same name, or joins them).
 */
export async function checkProposal(
  current: readonly SubgraphSource[],
  proposed: SubgraphSource,
): Promise<CheckResult> {
  const others = current.filter((s) => s.name !== proposed.name);
  let after: ReturnType<typeof composeGraph>;
  try {
    after = composeGraph([...others, proposed]);
  } catch (error) {
    if (error instanceof CompositionError)
      return { ok: false, compositionErrors: error.messages, changes: [], supergraphSdl: null };
    // A proposal that is not even GraphQL: parse errors name the line.
    return { ok: false, compositionErrors: [(error as Error).message], changes: [], supergraphSdl: null };
  }
  // The graph as served now composed before (it was published through here); the first subgraph of an
  // environment has nothing to break.
  const changes = current.length ? await classify(servedApiSchema(current), after.apiSchema) : [];
  return {
    ok: !changes.some((c) => c.severity === 'breaking'),
    compositionErrors: [],
    changes,
    supergraphSdl: after.supergraphSdl,
    apiSchema: after.apiSchema,
  };
}
