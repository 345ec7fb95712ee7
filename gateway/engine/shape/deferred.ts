/**
 * Shaping for `@defer` (docs/defer.md): the planner's DeferNode gives, per deferred fragment, the
 * path of its parent in the query (`queryPath`: response names and `... on T`) and its selection
 * (`subselection`); the initial payload is the primary block's `subselection` over the root. Each
 * compiles once into a selection shaper (shape.ts) on the type found at that path of the client's
 * operation; per request, the fragment is shaped at every object the path reaches in what the
 * client has been sent so far (so an object nulled in an earlier payload gets nothing).
 */
import * as federation from '@apollo/federation-internals';
import type { CompositeType, Operation, Schema, SelectionSet } from '@apollo/federation-internals';
import { compileSelectionShaper } from './shape';
import type { IntrospectionHandler, SelectionShaper } from './shape';

const { baseType, isCompositeType, isSubtype, parseSelectionSet } = federation;

type Path = (string | number)[];
type Data = Record<string, unknown>;

/** Compiles the shaper of `subselection`, the selection at `queryPath` of `operation` (the client's). */
export function compileDeferredShaper(
  operation: Operation,
  queryPath: readonly string[],
  subselection: string | undefined,
  introspection: IntrospectionHandler,
): SelectionShaper {
  const schema = operation.schema();
  const parentType = typeAtPath(schema, operation, queryPath);
  if (!subselection) return (input) => ({ data: input ? {} : input, errors: [] });
  const selectionSet = parseSelectionSet({
    parentType,
    source: subselection,
    variableDefinitions: operation.variableDefinitions,
    validate: false,
  });
  return compileSelectionShaper(
    schema,
    parentType,
    selectionSet,
    operation.collectDefaultedVariableValues(),
    introspection,
  );
}

/** The type of the object at `queryPath` (response names and `... on T`) in the operation. */
function typeAtPath(schema: Schema, operation: Operation, queryPath: readonly string[]): CompositeType {
  let type: CompositeType = schema.schemaDefinition.rootType(operation.rootKind)!;
  let set: SelectionSet | undefined = operation.expandAllFragments().selectionSet;
  for (const element of queryPath) {
    if (element.startsWith('... on ')) {
      const named = schema.type(element.slice('... on '.length));
      if (!named || !isCompositeType(named)) throw new Error(`@defer path names no type: ${element}`);
      type = named;
      continue;
    }
    const field: FieldSelection | undefined = set && findField(set, element);
    if (!field) throw new Error(`@defer path names no field of the operation: ${queryPath.join('/')}`);
    const fieldType = baseType(field.element.definition.type!);
    if (!isCompositeType(fieldType)) throw new Error(`@defer path ends on a leaf: ${queryPath.join('/')}`);
    type = fieldType;
    set = field.selectionSet;
  }
  return type;
}

type FieldSelection = Extract<ReturnType<SelectionSet['selections']>[number], { kind: 'FieldSelection' }>;

function findField(set: SelectionSet, responseName: string): FieldSelection | undefined {
  for (const selection of set.selections()) {
    if (selection.kind === 'FieldSelection') {
      if (selection.element.responseName() === responseName) return selection;
    } else if (selection.selectionSet) {
      const found = findField(selection.selectionSet, responseName);
      if (found) return found;
    }
  }
  return undefined;
}

/** One object a deferred fragment is delivered at: its path in the response, and the fetched data. */
export interface DeferredTarget {
  readonly path: Path;
  readonly source: Data;
}

/**
 * Where a deferred fragment lands: each object `queryPath` reaches in `delivered` (what the client
 * has been sent: list elements one by one, `... on T` keeping the objects of that type), with the
 * fetched data (`fetched`, the plan's result tree) at the same place.
 */
export function deferredTargets(
  schema: Schema,
  delivered: unknown,
  fetched: unknown,
  queryPath: readonly string[],
): DeferredTarget[] {
  const targets: DeferredTarget[] = [];
  const visit = (out: unknown, source: unknown, at: number, path: Path): void => {
    if (out === null || out === undefined || source === null || source === undefined) return;
    if (typeof out !== 'object' || typeof source !== 'object') return;
    if (Array.isArray(out)) {
      if (!Array.isArray(source)) return;
      out.forEach((element, index) => visit(element, source[index], at, [...path, index]));
      return;
    }
    if (at === queryPath.length) {
      targets.push({ path, source: source as Data });
      return;
    }
    const element = queryPath[at]!;
    if (element.startsWith('... on ')) {
      const typename = (source as Data).__typename;
      if (typeof typename === 'string') {
        const condition = schema.type(element.slice('... on '.length));
        const runtime = schema.type(typename);
        if (!condition || !runtime || !isCompositeType(condition) || !isSubtype(condition, runtime)) return;
      }
      visit(out, source, at + 1, path);
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(out, element)) return;
    visit((out as Data)[element], (source as Data)[element], at + 1, [...path, element]);
  };
  visit(delivered, fetched, 0, []);
  return targets;
}

/** Merges a delivered fragment into what the client has been sent, at its path. */
export function mergeDelivered(delivered: Data, path: readonly (string | number)[], data: Data): void {
  let target: unknown = delivered;
  for (const element of path) target = (target as Record<string | number, unknown>)[element];
  if (target && typeof target === 'object') mergeInto(target as Data, data);
}

function mergeInto(target: Data, source: Data): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing && value && typeof existing === 'object' && typeof value === 'object') {
      if (Array.isArray(existing) && Array.isArray(value))
        value.forEach((v, i) => {
          if (existing[i] && v && typeof v === 'object' && typeof existing[i] === 'object')
            mergeInto(existing[i] as Data, v as Data);
          else existing[i] = v;
        });
      else mergeInto(existing as Data, value as Data);
    } else if (key === '__proto__') {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else target[key] = value;
  }
}
