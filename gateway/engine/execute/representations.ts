/**
 * Entity representations for `_entities` fetches, and the in-place merge of subgraph data.
 *
 * A representation is the plan's `requires` selection read from an entity gathered so far. Entity
 * fetches send each distinct representation once; for the usual `requires` (leaf fields in inline
 * fragments, e.g. `... on Product { __typename upc }`) entities are compared by the values read in
 * place, and a representation object is built only for the first entity of each. Other selections
 * build every entity's representation and compare their JSON.
 */
import { applyRewrites, isObjectOfType } from './rewrites';
import type { FetchNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';

type Data = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/** The representation of one entity: the `requires` selection read from the data gathered so far. */
export function selectRepresentation(
  schema: GraphQLSchema,
  source: Data | null,
  selections: readonly QueryPlanSelectionNode[],
): Data | null {
  if (source === null) return null;
  const result: Data = {}; // keys are field names from the plan: never `__proto__`
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = hasOwn.call(source, name) ? source[name] : undefined;
      if (value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) {
        result[name] = value.map((v) => (inner ? selectRepresentation(schema, v as Data, inner) : v));
      } else if (inner) {
        result[name] = selectRepresentation(schema, value as Data, inner);
      } else {
        result[name] = value;
      }
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, selectRepresentation(schema, source, selection.selections));
    }
  }
  return result;
}

/**
 * The distinct representations of one entity fetch, in the order first seen. `add(entity)` returns
 * the index of the entity's representation (adding it if new), or -1 when the entity sends none
 * (its representation would be null or lack `__typename`).
 */
export interface RepresentationSet {
  add(entity: Data): number;
  readonly representations: Data[];
}

interface FlatGroup {
  /** Undefined for the top level, else the inline fragment's type condition. */
  readonly typeCondition?: string;
  readonly names: readonly string[];
  readonly hasTypename: boolean;
}

const compiledGroups = new WeakMap<FetchNode, FlatGroup[] | null>();

/** The set of an entity fetch's representations for one execution of the fetch. */
export function representationSet(fetch: FetchNode, schema: GraphQLSchema): RepresentationSet {
  let groups = compiledGroups.get(fetch);
  if (groups === undefined) {
    // Input rewrites change the representation after it is read: key the built object then.
    groups = fetch.inputRewrites?.length ? null : (flatGroups(fetch.requires!) ?? null);
    compiledGroups.set(fetch, groups);
  }
  const representations: Data[] = [];
  const build = (entity: Data): void => {
    const representation = selectRepresentation(schema, entity, fetch.requires!)!;
    applyRewrites(schema, fetch.inputRewrites, representation);
    representations.push(representation);
  };
  if (groups) return flatSet(groups, schema, representations, build);
  const byJson = new Map<string, number>();
  return {
    representations,
    add(entity) {
      const representation = selectRepresentation(schema, entity, fetch.requires!);
      if (!representation || !representation.__typename) return -1;
      const key = JSON.stringify(representation);
      let index = byJson.get(key);
      if (index === undefined) {
        byJson.set(key, (index = representations.length));
        build(entity);
      }
      return index;
    },
  };
}

/** The first entity seen with a representation, and that representation's index. */
interface Seen {
  readonly entity: Data;
  readonly applied: number;
  readonly index: number;
}

/**
 * Dedupes by the values themselves: entities are hashed by the last value read (usually the key
 * field) and compared field by field with the first entity of each distinct representation, so an
 * entity whose representation was seen allocates nothing. Which fragments applied is part of the
 * comparison (a bit per group), so different fragment combinations never match.
 */
function flatSet(
  groups: readonly FlatGroup[],
  schema: GraphQLSchema,
  representations: Data[],
  build: (entity: Data) => void,
): RepresentationSet {
  const byLast = new Map<unknown, Seen[]>();
  const same = (seen: Seen, entity: Data, applied: number): boolean => {
    if (seen.applied !== applied) return false;
    for (let g = 0; g < groups.length; g++) {
      if ((applied & (1 << g)) === 0) continue;
      for (const name of groups[g]!.names) {
        const a = seen.entity[name];
        const b = entity[name];
        if (a === b) continue;
        if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
        if (JSON.stringify(a) !== JSON.stringify(b)) return false;
      }
    }
    return true;
  };
  return {
    representations,
    add(entity) {
      if (entity === null) return -1;
      let typename: unknown;
      let applied = 0;
      let last: unknown;
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g]!;
        if (group.typeCondition !== undefined && !isObjectOfType(schema, entity, group.typeCondition))
          continue;
        let value: unknown;
        let complete = true;
        for (const name of group.names) {
          value = hasOwn.call(entity, name) ? entity[name] : undefined;
          if (value === undefined) {
            complete = false;
            break;
          }
        }
        // A missing field nulls the whole representation at the top level, only the fragment inside one.
        if (!complete) {
          if (group.typeCondition === undefined) return -1;
          continue;
        }
        applied |= 1 << g;
        if (group.names.length > 0)
          last = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
        if (group.hasTypename) typename = entity.__typename;
      }
      if (!typename) return -1;
      let candidates = byLast.get(last);
      if (candidates === undefined) byLast.set(last, (candidates = []));
      for (const seen of candidates) if (same(seen, entity, applied)) return seen.index;
      const index = representations.length;
      candidates.push({ entity, applied, index });
      build(entity);
      return index;
    },
  };
}

/**
 * The selections as groups of leaf fields — the top level's own fields, then each inline fragment
 * with a type condition — when every response name occurs once; undefined for anything else (then
 * the representation is built and its JSON is the key). Fragments without a type condition are
 * ignored, as `selectRepresentation` ignores them.
 */
function flatGroups(selections: readonly QueryPlanSelectionNode[]): FlatGroup[] | undefined {
  const seen = new Set<string>();
  const top: string[] = [];
  const groups: FlatGroup[] = [];
  const leaf = (selection: QueryPlanSelectionNode, into: string[]): boolean => {
    if (selection.kind !== 'Field' || selection.selections) return false;
    const name = selection.alias ?? selection.name;
    if (seen.has(name)) return false;
    seen.add(name);
    into.push(name);
    return true;
  };
  // Top-level fields must come before every fragment for the key to follow the object's key order.
  let fragments = false;
  if (selections.length > 30) return undefined; // one bit per group in `flatSet`
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      if (fragments || !leaf(selection, top)) return undefined;
      continue;
    }
    fragments = true;
    if (!selection.typeCondition) continue;
    const names: string[] = [];
    for (const inner of selection.selections) if (!leaf(inner, names)) return undefined;
    groups.push({ typeCondition: selection.typeCondition, names, hasTypename: names.includes('__typename') });
  }
  if (top.length > 0) groups.unshift({ names: top, hasTypename: top.includes('__typename') });
  return groups;
}

const isObject = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges subgraph data into the result tree in place (same rules as @apollo/gateway's deepMerge). */
export function deepMerge(target: unknown, source: unknown): unknown {
  if (source === undefined || source === null) return target;
  const t = target as Data;
  const s = source as Data;
  for (const key in s) {
    if (!hasOwn.call(s, key)) continue;
    const value = s[key];
    if (value === undefined) continue;
    let existing = t[key];
    // An inherited name (`constructor`, `__proto__`) becomes an own property before it is written.
    if (existing !== undefined && !hasOwn.call(t, key)) {
      Object.defineProperty(t, key, {
        value: undefined,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      existing = undefined;
    }
    if (existing && isObject(value)) {
      deepMerge(existing, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      t[key] = value;
    }
  }
  return target;
}
