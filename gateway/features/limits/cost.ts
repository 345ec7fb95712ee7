/**
 * The cost estimate of an operation, for the limits feature (./index.ts), reading the
 * supergraph's `@cost(weight)` and `@listSize(assumedSize, slicingArguments, sizedFields)` (the cost
 * spec, `@link(url: "https://specs.apollo.dev/cost/v0.1")`; they never reach the API schema, so they
 * are read from the supergraph text when it loads).
 *
 * A field costs its weight — `@cost` on the field, else `@cost` on the type it returns, else 1 for an
 * object and 0 for a leaf — plus what its selections cost, times how many times it runs:
 * - a field with `@listSize`: its size is the largest slicing argument given (literal, variable, or
 *   the argument's default), else `assumedSize`, else `GATEWAY_COST_LIST_SIZE`. With `sizedFields`
 *   the size multiplies those child fields (a connection's `edges`/`nodes`); otherwise the field
 *   itself when it is a list.
 * - any other field with `first`, `last` or `limit`: that many (its own list, or its connection's
 *   child lists); any other list counts `GATEWAY_COST_LIST_SIZE`.
 * A field's arguments cost what the work on them costs: every item of a list given to it counts 1,
 * at any depth (a list of 30,000 parcels costs 30,000; input objects and scalars nothing of their own),
 * whether the list is written in the document or passed in variables (or a variable's default). So a
 * mutation's input is bounded by the cost limit as a query's output is.
 * Introspection fields cost nothing (graphql-js limits introspection depth itself).
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type {
  ArgumentNode,
  ConstValueNode,
  DocumentNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { directiveUses, linkedDirectiveName, parseSupergraph } from '../../supergraphLinks';
import { fragmentsByName } from '../../fragments';

export interface ListSize {
  readonly assumedSize?: number;
  readonly slicingArguments?: readonly string[];
  readonly sizedFields?: readonly string[];
}

export interface CostAnnotations {
  /** `@cost(weight)` by coordinate (`Type.field` or `Type`). */
  readonly weights: ReadonlyMap<string, number>;
  /** `@listSize` by field coordinate. */
  readonly listSizes: ReadonlyMap<string, ListSize>;
}

export const NO_ANNOTATIONS: CostAnnotations = Object.freeze({ weights: new Map(), listSizes: new Map() });

const COST_SPEC = 'https://specs.apollo.dev/cost';
const SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;

/** The `@cost` and `@listSize` uses of a supergraph (none when it does not link the cost spec). */
export function readCostAnnotations(sdl: string): CostAnnotations {
  const document = parseSupergraph(sdl);
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const cost = linkedDirectiveName(document, COST_SPEC, 'cost');
  if (cost)
    for (const use of directiveUses(document, cost))
      if (typeof use.args.weight === 'number') weights.set(use.coordinate, use.args.weight);
  const listSize = linkedDirectiveName(document, COST_SPEC, 'listSize');
  if (listSize)
    for (const use of directiveUses(document, listSize)) {
      if (!use.fieldName) continue;
      const { assumedSize, slicingArguments, sizedFields } = use.args;
      listSizes.set(use.coordinate, {
        assumedSize: typeof assumedSize === 'number' ? assumedSize : undefined,
        slicingArguments: strings(slicingArguments),
        sizedFields: strings(sizedFields),
      });
    }
  return { weights, listSizes };
}

/** Items in all the lists of a JSON value (a variable's), at any depth; iterative, for any nesting. */
export function jsonListItems(value: unknown): number {
  let items = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (Array.isArray(v)) {
      items += v.length;
      for (const item of v) if (typeof item === 'object' && item !== null) pending.push(item);
    } else if (typeof v === 'object' && v !== null) {
      for (const field of Object.values(v))
        if (typeof field === 'object' && field !== null) pending.push(field);
    }
  }
  return items;
}

/** What a parent passes down: a size for its child lists (all of them, or only `only`). */
interface Passed {
  size: number;
  only?: ReadonlySet<string>;
}

/** The estimated cost of one operation (see the file comment). */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  listSize: number,
  annotations: CostAnnotations = NO_ANNOTATIONS,
): number {
  const fragments = fragmentsByName(document);
  const defaults = new Map<string, ConstValueNode | undefined>(
    operation.variableDefinitions?.map((d) => [d.variable.name.value, d.defaultValue]) ?? [],
  );
  /** Items in the lists of an argument's value (the document's literal, or its variables' values). */
  const listItems = (v: ValueNode): number => {
    switch (v.kind) {
      case Kind.LIST:
        return v.values.reduce((n, item) => n + 1 + listItems(item), 0);
      case Kind.OBJECT:
        return v.fields.reduce((n, f) => n + listItems(f.value), 0);
      case Kind.VARIABLE: {
        const name = v.name.value;
        if (Object.hasOwn(variables, name)) return jsonListItems(variables[name]);
        const fallback = defaults.get(name);
        return fallback ? listItems(fallback) : 0;
      }
      default:
        return 0;
    }
  };
  const argumentsCost = (given: readonly ArgumentNode[] | undefined): number =>
    given?.reduce((n, arg) => n + listItems(arg.value), 0) ?? 0;
  const valueOf = (arg: ArgumentNode): number | undefined => {
    const v = arg.value;
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE) {
      const n = variables[v.name.value];
      return typeof n === 'number' ? n : undefined;
    }
    return undefined;
  };
  /** The size named by `names` among the arguments given, or their defaults; the largest wins. */
  const sliced = (
    field: GraphQLField<unknown, unknown>,
    given: readonly ArgumentNode[],
    names: (name: string) => boolean,
    withDefaults: boolean,
  ): number | undefined => {
    let size: number | undefined;
    for (const def of field.args) {
      if (!names(def.name)) continue;
      const arg = given.find((a) => a.name.value === def.name);
      const n = arg ? valueOf(arg) : withDefaults ? def.defaultValue : undefined;
      if (typeof n === 'number') size = Math.max(size ?? 0, n);
    }
    return size;
  };
  const isList = (t: GraphQLOutputType): boolean => isListType(isNonNullType(t) ? t.ofType : t);
  const cost = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    inherited: Passed | undefined,
    seen: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : undefined;
        if (sel.kind === Kind.FRAGMENT_SPREAD && (!fragment || seen.has(sel.name.value))) continue;
        const node = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragment!;
        const typeName = node.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        const next = fragment ? new Set([...seen, fragment.name.value]) : seen;
        if (type && isCompositeType(type)) total += cost(node.selectionSet, type, inherited, next);
        continue;
      }
      if (sel.name.value.startsWith('__')) continue;
      const field =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[sel.name.value] : undefined;
      if (!field) continue;
      const named = getNamedType(field.type);
      const coordinate = `${parent.name}.${field.name}`;
      const weight =
        annotations.weights.get(coordinate) ??
        annotations.weights.get(named.name) ??
        (isCompositeType(named) ? 1 : 0);
      const input = argumentsCost(sel.arguments);
      if (!sel.selectionSet) {
        total += weight + input;
        continue;
      }
      const annotated = annotations.listSizes.get(coordinate);
      const reached =
        inherited && (!inherited.only || inherited.only.has(field.name)) ? inherited.size : undefined;
      let times = 1;
      let pass: Passed | undefined;
      if (annotated) {
        const size =
          (annotated.slicingArguments &&
            sliced(field, sel.arguments ?? [], (n) => annotated.slicingArguments!.includes(n), true)) ??
          annotated.assumedSize ??
          listSize;
        if (annotated.sizedFields?.length) {
          pass = { size, only: new Set(annotated.sizedFields) };
          if (isList(field.type)) times = reached ?? listSize;
        } else if (isList(field.type)) times = size;
      } else {
        const size = sliced(field, sel.arguments ?? [], (n) => SIZE_ARGUMENTS.has(n), false);
        // A sized non-list field (a connection) passes its size to its own lists (`nodes`, `edges`).
        if (isList(field.type)) times = size ?? reached ?? listSize;
        else if (size !== undefined) pass = { size };
      }
      const inner = isCompositeType(named) ? cost(sel.selectionSet, named, pass, seen) : 0;
      total += input + times * (weight + inner);
    }
    return total;
  };
  const root = schema.getRootType(operation.operation);
  return root ? cost(operation.selectionSet, root, undefined, new Set()) : 0;
}
