/**
 * Putting the removed fields back into the response as `null` with an error each, as GraphQL would
 * for a field that failed: a null in a non-null position propagates to the nearest nullable parent
 * (list items included), up to `data` itself. Paths name response keys without list indices: one
 * error per removed field of the operation, however many list items it was removed from.
 */
import { isAbstractType, isListType, isNonNullType } from 'graphql';
import type { DirectiveNode, GraphQLFormattedError, GraphQLOutputType, GraphQLSchema } from 'graphql';
import { valueFromASTUntyped } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { HIDDEN_KEY } from './rewrite';
import type { Removal, Step } from './rewrite';

type Data = Record<string, unknown>;

/** True when `@skip`/`@include` on the way leave the field out for these variables. */
function skipped(conditions: Removal['conditions'], variables: Readonly<Record<string, unknown>>): boolean {
  const value = (d: DirectiveNode): unknown => {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };
  return conditions.some((directives) =>
    directives.some(
      (d) =>
        (d.name.value === 'skip' && value(d) === true) || (d.name.value === 'include' && value(d) === false),
    ),
  );
}

export function unauthorizedError(removal: Removal): GraphQLFormattedError {
  return {
    message: `Unauthorized field or type: ${removal.coordinate}`,
    path: removal.steps.map((s) => s.key),
    extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
  };
}

/**
 * Sets each removed field to null in `data` (propagating through non-null types) and returns the
 * new `data` (null when the propagation reached the root) and the errors to add.
 */
export function patchData(
  schema: GraphQLSchema,
  data: Data | null | undefined,
  removals: readonly Removal[],
  variables: Readonly<Record<string, unknown>>,
): { data: Data | null | undefined; errors: GraphQLFormattedError[] } {
  const errors: GraphQLFormattedError[] = [];
  let out = data;
  for (const removal of removals) {
    if (skipped(removal.conditions, variables)) continue;
    errors.push(unauthorizedError(removal));
    if (out && inObject(schema, out, removal.steps, 0)) out = null;
  }
  if (out) stripHidden(out);
  return { data: out, errors };
}

/** Applies step `i` to `obj`; true when `obj` itself must become null. */
function inObject(schema: GraphQLSchema, obj: Data, steps: readonly Step[], i: number): boolean {
  const step = steps[i]!;
  if (i === steps.length - 1) {
    if (step.key in obj && obj[step.key] !== undefined) return false; // selected again on another type
    if (!ofType(schema, obj, step)) return false;
    obj[step.key] = null;
    return isNonNullType(step.type);
  }
  const value = obj[step.key];
  if (value === null || value === undefined) return false;
  if (inValue(schema, value, step.type, steps, i + 1)) {
    obj[step.key] = null;
    return isNonNullType(step.type);
  }
  return false;
}

/** Applies step `i` inside a value of `type` (lists item by item); true when the value must be null. */
function inValue(
  schema: GraphQLSchema,
  value: unknown,
  type: GraphQLOutputType,
  steps: readonly Step[],
  i: number,
): boolean {
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return false;
    let bubble = false;
    for (let k = 0; k < value.length; k++) {
      if (value[k] === null || value[k] === undefined) continue;
      if (inValue(schema, value[k], nullable.ofType as GraphQLOutputType, steps, i)) {
        if (isNonNullType(nullable.ofType)) bubble = true;
        else value[k] = null;
      }
    }
    return bubble;
  }
  if (typeof value !== 'object') return false;
  return inObject(schema, value as Data, steps, i);
}

/** Whether the object is of the type the removed field was selected on (known through the placeholder). */
function ofType(schema: GraphQLSchema, obj: Data, step: Step): boolean {
  const runtime = obj[HIDDEN_KEY];
  if (typeof runtime !== 'string' || runtime === step.on.name) return true;
  if (!isAbstractType(step.on)) return false;
  const type = schema.getType(runtime);
  return type !== undefined && 'getInterfaces' in type && schema.isSubType(step.on, type as never);
}

function stripHidden(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripHidden(item);
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Data;
    if (HIDDEN_KEY in obj) delete obj[HIDDEN_KEY];
    for (const v of Object.values(obj)) if (v !== null && typeof v === 'object') stripHidden(v);
  }
}
