/**
 * Bounds every text argument has, whatever its field: a String or ID value (an argument, an input
 * field at any depth, a list item) must not be blank and must not exceed a length cap. Checked before
 * the field's resolver runs — before any access check, lookup or transaction — so the refusal is the
 * same BAD_USER_INPUT naming the path (`input.note`, `input.recipientNames[2]`) for every field, and
 * nothing is written. Fields keep their own, tighter checks (parseText's `max`, code formats).
 * Bounds: docs/input-validation.md.
 */
import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
} from 'graphql';
import type { GraphQLArgument, GraphQLFieldResolver, GraphQLInputType, GraphQLSchema } from 'graphql';
import { badInput } from './errors';

/** Characters an ID (a code, a key) may have. */
export const MAX_ID_LENGTH = 200;
/** Characters any other String may have (free text: a subject, a summary, a note). */
export const MAX_STRING_LENGTH = 10_000;

const TEXT_TYPES: Record<string, number> = { ID: MAX_ID_LENGTH, String: MAX_STRING_LENGTH };

/** Whether a value of `type` can hold text (through input objects and lists); recursive types cut. */
function holdsText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const t = getNullableType(type);
  if (isListType(t)) return holdsText(t.ofType, seen);
  if (isInputObjectType(t)) {
    if (seen.has(t.name)) return false;
    seen.add(t.name);
    return Object.values(t.getFields()).some((f) => holdsText(f.type, seen));
  }
  return isScalarType(t) && t.name in TEXT_TYPES;
}

function check(value: unknown, type: GraphQLInputType, path: string): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (Array.isArray(value)) value.forEach((v, i) => check(v, t.ofType, `${path}[${i}]`));
    else check(value, t.ofType, path); // a single value given for a list (input coercion)
  } else if (isInputObjectType(t)) {
    const fields = t.getFields();
    for (const [name, v] of Object.entries(value as Record<string, unknown>))
      if (fields[name]) check(v, fields[name].type, `${path}.${name}`);
  } else if (isScalarType(t) && typeof value === 'string') {
    const max = TEXT_TYPES[t.name];
    if (max === undefined) return;
    if (value.trim() === '') throw badInput(path, 'must not be blank (leave it out instead)');
    if (value.length > max) throw badInput(path, `must be at most ${max.toLocaleString('en')} characters`);
  }
}

function bounded(args: readonly GraphQLArgument[], resolve: GraphQLFieldResolver<unknown, unknown>) {
  const text = args.filter((a) => holdsText(a.type));
  const checked: GraphQLFieldResolver<unknown, unknown> = (source, values, ctx, info) => {
    for (const a of text) check(values[a.name], a.type, a.name);
    return resolve(source, values, ctx, info);
  };
  return checked;
}

/** Wraps the resolver of every field whose arguments hold text with the bounds above (in place). */
export function boundTextInputs(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((a) => holdsText(a.type)))
        field.resolve = bounded(field.args, field.resolve ?? defaultFieldResolver);
    }
  }
}
