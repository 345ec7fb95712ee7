/**
 * The data rewrites a query plan asks for (`FetchNode.inputRewrites` / `outputRewrites`): set a
 * value (`ValueSetter`, e.g. the real `__typename` of an `@interfaceObject` entity) or rename a key
 * (`KeyRenamer`, e.g. a `@context` argument) at a path of `... on T` and field-name elements.
 *
 * Same semantics as @apollo/gateway's `dataRewrites.ts` (2.14), written here because neither
 * @apollo/gateway nor @apollo/query-planner exports them from a public entry point (they live in
 * `@apollo/gateway/dist/dataRewrites`, which the govgraph engine must not load). The types come from
 * @apollo/query-planner's public entry.
 */
import type { FetchDataRewrite } from '@apollo/query-planner';
import { isAbstractType, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';

type Data = Record<string, unknown>;

const FRAGMENT_PREFIX = '... on ';
const hasOwn = Object.prototype.hasOwnProperty;

export function applyRewrites(
  schema: GraphQLSchema,
  rewrites: readonly FetchDataRewrite[] | undefined,
  value: Data,
): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) applyRewrite(schema, rewrite, value);
}

function applyRewrite(schema: GraphQLSchema, rewrite: FetchDataRewrite, value: Data): void {
  const { path } = rewrite;
  if (path.length === 0) return;
  const last = path[path.length - 1]!;
  if (last.startsWith(FRAGMENT_PREFIX)) throw new Error(`Unexpected fragment as last element of ${path}`);
  applyAtPath(schema, path, 0, path.length - 1, value, rewriteAt(rewrite, last));
}

function rewriteAt(rewrite: FetchDataRewrite, field: string): (object: Data) => void {
  switch (rewrite.kind) {
    case 'ValueSetter':
      return (object) => {
        defineOwn(object, field);
        object[field] = rewrite.setValueTo;
      };
    case 'KeyRenamer':
      return (object) => {
        const atPath = hasOwn.call(object, field) ? object[field] : undefined;
        if (atPath) {
          defineOwn(object, rewrite.renameKeyTo);
          object[rewrite.renameKeyTo] = atPath;
          object[field] = undefined;
        }
      };
  }
}

function applyAtPath(
  schema: GraphQLSchema,
  path: readonly string[],
  from: number,
  end: number,
  value: unknown,
  rewrite: (object: Data) => void,
): void {
  if (Array.isArray(value)) {
    for (const element of value) applyAtPath(schema, path, from, end, element, rewrite);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (from === end) return rewrite(value as Data);
  const element = path[from]!;
  if (element.startsWith(FRAGMENT_PREFIX)) {
    if (isObjectOfType(schema, value as Data, element.slice(FRAGMENT_PREFIX.length), true))
      applyAtPath(schema, path, from + 1, end, value, rewrite);
  } else {
    const object = value as Data;
    applyAtPath(
      schema,
      path,
      from + 1,
      end,
      hasOwn.call(object, element) ? object[element] : undefined,
      rewrite,
    );
  }
}

/** A key set through a prototype's setter (e.g. `__proto__`) becomes an own property instead. */
function defineOwn(object: Data, key: string): void {
  if (!hasOwn.call(object, key) && key in object)
    Object.defineProperty(object, key, {
      configurable: true,
      enumerable: true,
      value: undefined,
      writable: true,
    });
}

/** Whether `object` (by its `__typename`) is of the type `typeCondition` names, or one of its subtypes. */
export function isObjectOfType(
  schema: GraphQLSchema,
  object: Data,
  typeCondition: string,
  defaultOnUnknownObjectType = false,
): boolean {
  const typename = object['__typename'] as string | undefined;
  if (!typename) return defaultOnUnknownObjectType;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename);
  if (!type) return false;
  const condition = schema.getType(typeCondition);
  if (!condition) return false;
  if (isAbstractType(condition))
    return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type as never);
  return false;
}
