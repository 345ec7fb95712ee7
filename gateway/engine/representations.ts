/**
 * Entity representations for `_entities` fetches, and the in-place merge of subgraph data.
 *
 * A representation is the plan's `requires` selection read from an entity gathered so far. Entity
 * fetches send each distinct representation once, so every entity needs a key; for the usual
 * `requires` (inline fragments of leaf fields, e.g. `... on Product { __typename upc }`) the key is
 * read straight from the entity by a reader compiled once per fetch node, and a representation
 * object is built only for keys not seen yet. Other selections build the object and key its JSON.
 */
import { isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
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
 * Reads the dedupe key of an entity's representation, or null when the entity sends none (its
 * representation would be null or lack `__typename`). Equal keys ⇔ equal representations.
 */
export type RepresentationKey = (schema: GraphQLSchema, entity: Data) => string | null;

interface FlatGroup {
  /** Undefined for the top level, else the inline fragment's type condition. */
  readonly typeCondition?: string;
  readonly names: readonly string[];
}

const compiledKeys = new WeakMap<FetchNode, RepresentationKey>();

/** The key reader of a fetch node's representations (compiled once per plan node). */
export function representationKeyOf(fetch: FetchNode): RepresentationKey {
  let key = compiledKeys.get(fetch);
  if (!key) compiledKeys.set(fetch, (key = compileKey(fetch)));
  return key;
}

function compileKey(fetch: FetchNode): RepresentationKey {
  const selections = fetch.requires!;
  const groups = flatGroups(selections);
  // Input rewrites change the representation after it is read: key the object itself.
  if (!groups || fetch.inputRewrites?.length) {
    return (schema, entity) => {
      const representation = selectRepresentation(schema, entity, selections);
      return representation && representation.__typename ? JSON.stringify(representation) : null;
    };
  }
  return (schema, entity) => {
    if (entity === null) return null;
    let key = '';
    let typename: unknown;
    for (const group of groups) {
      if (group.typeCondition !== undefined && !isObjectOfType(schema, entity, group.typeCondition)) continue;
      let part = '';
      let complete = true;
      let groupTypename: unknown;
      for (const name of group.names) {
        const value = hasOwn.call(entity, name) ? entity[name] : undefined;
        if (value === undefined) {
          complete = false;
          break;
        }
        if (name === '__typename') groupTypename = value;
        part += name + keyOfValue(value);
      }
      // A missing field nulls the whole representation at the top level, only the fragment inside one.
      if (!complete) {
        if (group.typeCondition === undefined) return null;
        continue;
      }
      if (groupTypename !== undefined) typename = groupTypename;
      key += part;
    }
    return typename ? key : null;
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
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      if (fragments || !leaf(selection, top)) return undefined;
      continue;
    }
    fragments = true;
    if (!selection.typeCondition) continue;
    const names: string[] = [];
    for (const inner of selection.selections) if (!leaf(inner, names)) return undefined;
    groups.push({ typeCondition: selection.typeCondition, names });
  }
  return top.length > 0 ? [{ names: top }, ...groups] : groups;
}

/** An unambiguous encoding of one leaf value (strings length-prefixed, so no escaping is needed). */
function keyOfValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `:s${value.length}:${value}`;
    case 'number':
      return `:n${value};`;
    case 'boolean':
      return value ? ':t' : ':f';
    default: {
      const json = JSON.stringify(value);
      return `:j${json.length}:${json}`;
    }
  }
}

const isObject = (v: unknown): v is Data => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges subgraph data into the result tree in place (same rules as @apollo/gateway's deepMerge). */
export function deepMerge(target: unknown, source: unknown): unknown {
  if (source === undefined || source === null) return target;
  const t = target as Data;
  const s = source as Data;
  for (const key of Object.keys(s)) {
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
