/**
 * The compiled response shaper. A query plan's fetches leave one merged tree of subgraph data (with
 * extra key and `__typename` fields, in subgraph shape); the client gets exactly the fields it
 * asked for, in its order, with its aliases, `@skip`/`@include` applied, abstract types resolved by
 * `__typename`, leaf values checked and nulls propagated per the GraphQL spec.
 *
 * The semantics are those of @apollo/gateway's `computeResponse` (resultShaping.ts) so that both
 * engines answer identically, but the operation is walked once, at compile time, into plain step
 * lists: per request the shaper only reads data and writes the output, with no directive lookup,
 * no schema lookup for fixed types and no re-execution through graphql-js.
 */
import * as federation from '@apollo/federation-internals';
import type { CompositeType, Operation, Schema } from '@apollo/federation-internals';
import type { GraphQLError, SelectionNode } from 'graphql';
import { compileSelections, conditionValue } from './shapeSteps';
import type { Guard, Step, TypeShape } from './shapeSteps';

type Path = (string | number)[];

// Read once: the package's CommonJS re-exports are getters, which would run on every use per object.
const { ERRORS, isCompositeType, isObjectType, isSubtype, typenameFieldName } = federation;

export type IntrospectionHandler = (node: SelectionNode, variables: Record<string, unknown>) => unknown;

export interface ShapeResult {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}

export type Shaper = (
  input: Record<string, unknown> | null | undefined,
  variables: Record<string, unknown> | undefined,
) => ShapeResult;

const NULL_BUBBLE_UP = 1;
const OK = 0;

/**
 * A shaper of one selection set below the root (a deferred fragment's, shape/deferred.ts): `path`
 * is where its object is in the response, for the errors' paths.
 */
export type SelectionShaper = (
  input: Record<string, unknown> | null | undefined,
  variables: Record<string, unknown> | undefined,
  path: readonly (string | number)[],
) => ShapeResult;

/** Compiles the shaper of one operation (once per operation; the result is reused per request). */
export function compileShaper(operation: Operation, introspection: IntrospectionHandler): Shaper {
  const schema: Schema = operation.schema();
  const root = schema.schemaDefinition.rootType(operation.rootKind)!;
  const shaper = compileSelectionShaper(
    schema,
    root,
    operation.selectionSet,
    operation.collectDefaultedVariableValues(),
    introspection,
  );
  return (input, variables) => shaper(input, variables, []);
}

/** Compiles the shaper of one selection set on `parentType` (the root's for an operation). */
export function compileSelectionShaper(
  schema: Schema,
  parentType: CompositeType,
  selectionSet: Operation['selectionSet'],
  defaults: Record<string, unknown> | undefined,
  introspection: IntrospectionHandler,
): SelectionShaper {
  const root = parentType;
  const steps = compileSelections(schema, selectionSet);
  // `isSubtype(condition, runtime type)` per pair, computed once.
  const applies = new Map<CompositeType, Map<string, boolean>>();
  // The schema's type of each `__typename` met (hundreds of objects per response, a handful of names).
  const types = new Map<string, ReturnType<Schema['type']>>();
  const typeNamed = (name: string): ReturnType<Schema['type']> => {
    let type = types.get(name);
    if (type === undefined && !types.has(name)) types.set(name, (type = schema.type(name)));
    return type;
  };

  return (input, variables, basePath) => {
    if (!input) return { data: input, errors: [] };
    const vars: Record<string, unknown> = { __proto__: null, ...defaults, ...variables };
    const errors: GraphQLError[] = [];

    const skipped = (step: Guard): boolean => {
      if (step.skip !== undefined && conditionValue(step.skip, vars)) return true;
      return step.include !== undefined && !conditionValue(step.include, vars);
    };

    const typeConditionApplies = (
      condition: CompositeType | undefined,
      typename: string | undefined,
      parent: CompositeType,
    ): boolean => {
      if (!condition) return true;
      if (!typename) return isSubtype(condition, parent);
      let byName = applies.get(condition);
      if (!byName) applies.set(condition, (byName = new Map()));
      let result = byName.get(typename);
      if (result === undefined) {
        const type = typeNamed(typename);
        result = !!type && isSubtype(condition, type);
        byName.set(typename, result);
      }
      return result;
    };

    const describe = (path: Path, current: string, parent: CompositeType): string => {
      const element = path[path.length - 1];
      return typeof element === 'string'
        ? `field ${parent}.${element}`
        : `array element of type ${current} at index ${element}`;
    };

    const applySteps = (
      list: readonly Step[],
      source: Record<string, unknown>,
      output: Record<string, unknown>,
      path: Path,
      parent: CompositeType,
    ): number => {
      for (const step of list) {
        if ((step.skip !== undefined || step.include !== undefined) && skipped(step)) continue;
        if (step.kind === 'fragment') {
          const typename = source[typenameFieldName] as string | undefined;
          if (typeConditionApplies(step.typeCondition, typename, parent)) {
            if (
              applySteps(step.selections, source, output, path, step.typeCondition ?? parent) ===
              NULL_BUBBLE_UP
            )
              return NULL_BUBBLE_UP;
          }
          continue;
        }
        const name = step.responseName;
        const plain = step.plain;
        const outputValue = plain ? output[name] : own(output, name);
        if (step.kind === 'introspection') {
          if (outputValue === undefined) setOwn(output, name, introspection(step.node, vars));
          continue;
        }
        let inputValue = (plain ? source[name] : own(source, name)) ?? null;
        if (step.kind === 'typename') {
          if (outputValue === undefined) {
            if (inputValue === null && name !== typenameFieldName)
              inputValue = source[typenameFieldName] ?? null;
            const type = typeof inputValue === 'string' ? (typeNamed(inputValue) ?? parent) : parent;
            if (!isObjectType(type)) return NULL_BUBBLE_UP;
            setOwn(output, name, type.name);
          }
          continue;
        }
        path.push(name);
        const value = update(outputValue, step.type, inputValue, step.selections, path, parent);
        if (plain) output[name] = value;
        else setOwn(output, name, value);
        path.pop();
        if (invalid) return NULL_BUBBLE_UP;
      }
      return OK;
    };

    // `update` returns the new output value and reports through these two flags (read right after
    // each call) instead of allocating a result object per field: an 87 KB response has thousands.
    let invalid = false; // a non-null field is null: the parent must become null
    let hasErrors = false; // an error was already recorded below this value

    const update = (
      outputValue: unknown,
      type: TypeShape,
      inputValue: unknown,
      selections: readonly Step[] | undefined,
      path: Path,
      parent: CompositeType,
    ): unknown => {
      invalid = false;
      hasErrors = false;
      if (outputValue === null || (outputValue !== undefined && !selections)) return outputValue;
      switch (type.k) {
        case 'nonNull': {
          const updated = update(outputValue, type.of, inputValue, selections, path, parent);
          if (updated === null) {
            if (!hasErrors) {
              errors.push(
                ERRORS.INVALID_GRAPHQL.err(
                  `Cannot return null for non-nullable ${describe(path, type.of.name, parent)}.`,
                  { path: Array.from(path) },
                ),
              );
            }
            invalid = true;
            hasErrors = true;
            return null;
          }
          invalid = false;
          hasErrors = false;
          return updated;
        }
        case 'list': {
          if (inputValue === null) return null;
          if (!Array.isArray(inputValue))
            throw new Error(
              `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.name}`,
            );
          const previous = outputValue as unknown[] | undefined;
          if (previous !== undefined && previous.length !== inputValue.length)
            throw new Error(
              `[${inputValue}].length (${inputValue.length}) !== [${previous}].length (${previous.length})`,
            );
          let nullify = false;
          let anyErrors = false;
          const updated = new Array<unknown>(inputValue.length);
          for (let i = 0; i < inputValue.length; i++) {
            path.push(i);
            updated[i] = update(previous?.[i], type.of, inputValue[i], selections, path, parent);
            path.pop();
            if (invalid) nullify = true;
            if (hasErrors) anyErrors = true;
          }
          invalid = false;
          hasErrors = anyErrors;
          return nullify ? null : updated;
        }
        case 'composite': {
          if (inputValue === null) return null;
          if (typeof inputValue !== 'object')
            throw new Error(
              `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.name}`,
            );
          const source = inputValue as Record<string, unknown>;
          const typename = source[typenameFieldName];
          let runtime: CompositeType = type.type;
          if (typename) {
            const named = typeof typename === 'string' ? typeNamed(typename) : undefined;
            if (!named || !isCompositeType(named)) {
              errors.push(
                ERRORS.INVALID_GRAPHQL.err(
                  `Invalid __typename found for object at ${describe(path, type.name, parent)}.`,
                  { path: Array.from(path) },
                ),
              );
              hasErrors = true;
              return null;
            }
            runtime = named;
          }
          const output = (outputValue ?? {}) as Record<string, unknown>;
          const failed = applySteps(selections!, source, output, path, runtime) === NULL_BUBBLE_UP;
          invalid = false;
          hasErrors = failed;
          return failed ? null : output;
        }
        case 'leaf': {
          if (inputValue === null) return null;
          if (type.valid(inputValue)) return inputValue;
          errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describe(path, type.name, parent)}.`, {
              path: Array.from(path),
            }),
          );
          hasErrors = true;
          return null;
        }
      }
    };

    const data: Record<string, unknown> = {};
    const result = applySteps(steps, input, data, Array.from(basePath), root);
    return { data: result === NULL_BUBBLE_UP ? null : data, errors };
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `object[key]` for own properties only (a response name may be `constructor` or `__proto__`). */
function own(object: Record<string, unknown>, key: string): unknown {
  return hasOwn.call(object, key) ? object[key] : undefined;
}

function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
