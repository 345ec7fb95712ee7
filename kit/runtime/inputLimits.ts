/**
 * Bounded input lists. Every list a caller can send — an argument or an input-object field of list
 * type — declares its maximum in the SDL with the kit's `@maxItems(n:)` (kit/runtime/sdl/shared.graphql):
 *
 *   "Thửa mới — … (at most 100)."
 *   results: [LandParcelResultInput!] @maxItems(n: 100)
 *
 * and the kit enforces it for every subgraph before any resolver runs: a longer list, given inline
 * or in variables, at any depth, refuses the whole operation with BAD_USER_INPUT naming its path
 * (`input.results: at most 100 items, got 30000`), so a mutation never starts on an unbounded input.
 * `unboundedListInputs` lists the list inputs without a maximum; a test over every registered SDL
 * requires it to be empty, so a new list input without one fails CI. (`_entities(representations:)`
 * is federation's, sized by the gateway's query plan, and exempt.)
 */
import type { FastifyInstance } from 'fastify';
import {
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type {
  DocumentNode,
  GraphQLArgument,
  GraphQLInputField,
  GraphQLInputType,
  GraphQLSchema,
  ValueNode,
} from 'graphql';
import { badInput } from './errors';

export const MAX_ITEMS_DIRECTIVE = 'maxItems';

/** `n` of the `@maxItems(n:)` on an argument or input field, if any. */
export function maxItemsOf(def: GraphQLArgument | GraphQLInputField): number | undefined {
  const use = def.astNode?.directives?.find((d) => d.name.value === MAX_ITEMS_DIRECTIVE);
  const n = use?.arguments?.find((a) => a.name.value === 'n')?.value;
  return n?.kind === Kind.INT ? Number(n.value) : undefined;
}

const unwrap = (type: GraphQLInputType): GraphQLInputType => (isNonNullType(type) ? type.ofType : type);

/** Whether a value of this type is, or holds at any depth, a list. */
function holdsList(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const t = unwrap(type);
  if (isListType(t)) return true;
  if (!isInputObjectType(t) || seen.has(t.name)) return false;
  seen.add(t.name);
  return Object.values(t.getFields()).some((f) => holdsList(f.type, seen));
}

const exempt = (typeName: string, fieldName: string) => typeName === 'Query' && fieldName === '_entities';

/** Coordinates of every list argument and input field without `@maxItems` (`Type.field(arg:)`, `Input.field`). */
export function unboundedListInputs(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (exempt(type.name, field.name)) continue;
        for (const arg of field.args)
          if (isListType(unwrap(arg.type)) && maxItemsOf(arg) === undefined)
            found.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (isListType(unwrap(field.type)) && maxItemsOf(field) === undefined)
          found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

type Variables = Record<string, unknown> | undefined;

/**
 * Checks one value (an AST literal, or a variable's JSON once a variable is reached) against `type`:
 * a list no longer than `max`, then each item, and each field of an input object with its own maximum.
 */
function checkValue(
  type: GraphQLInputType,
  value: ValueNode | { json: unknown },
  path: string,
  max: number | undefined,
  variables: Variables,
): void {
  if (!('json' in value) && value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    if (given !== undefined) checkValue(type, { json: given }, path, max, variables);
    return;
  }
  const t = unwrap(type);
  if (isListType(t)) {
    let items: (ValueNode | { json: unknown })[];
    if ('json' in value) {
      if (value.json === null) return;
      items = Array.isArray(value.json) ? value.json.map((json: unknown) => ({ json })) : [value];
    } else {
      if (value.kind === Kind.NULL) return;
      items = value.kind === Kind.LIST ? [...value.values] : [value];
    }
    if (max !== undefined && items.length > max)
      throw badInput(path, `at most ${max} item${max === 1 ? '' : 's'}, got ${items.length}`);
    const itemType = t.ofType as GraphQLInputType;
    if (holdsList(itemType))
      items.forEach((item, i) => checkValue(itemType, item, `${path}[${i}]`, undefined, variables));
    return;
  }
  if (!isInputObjectType(t)) return;
  const fields = t.getFields();
  const entries: [string, ValueNode | { json: unknown }][] =
    'json' in value
      ? typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json)
        ? Object.entries(value.json).map(([k, json]) => [k, { json }])
        : []
      : value.kind === Kind.OBJECT
        ? value.fields.map((f) => [f.name.value, f.value])
        : [];
  for (const [name, fieldValue] of entries) {
    const field = fields[name];
    if (field && holdsList(field.type))
      checkValue(field.type, fieldValue, `${path}.${name}`, maxItemsOf(field), variables);
  }
}

/**
 * Throws BAD_USER_INPUT for the first list argument (or list in an input value) of `document` longer
 * than its `@maxItems`, literals and `variables` alike.
 */
export function checkInputLimits(schema: GraphQLSchema, document: DocumentNode, variables: Variables): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (!arg || !holdsList(arg.type)) return;
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && exempt(parent.name, field.name)) return;
        checkValue(arg.type, node.value, arg.name, maxItemsOf(arg), variables);
      },
    }),
  );
}

/** Whether any argument of the schema can carry a list (otherwise there is nothing to check). */
function anyListArgument(schema: GraphQLSchema): boolean {
  return Object.values(schema.getTypeMap()).some(
    (type) =>
      (isObjectType(type) || isInterfaceType(type)) &&
      !type.name.startsWith('__') &&
      Object.values(type.getFields()).some(
        (f) => !exempt(type.name, f.name) && f.args.some((a) => holdsList(a.type)),
      ),
  );
}

/** Installs the check on a subgraph's mercurius server: every operation, before it executes. */
export function enforceInputLimits(app: FastifyInstance, schema: GraphQLSchema): void {
  if (!anyListArgument(schema)) return;
  app.register(async (instance) => {
    instance.graphql.addHook('preExecution', async (hookSchema, document, _context, variables) => {
      checkInputLimits(hookSchema, document, variables as Variables);
    });
  });
}
