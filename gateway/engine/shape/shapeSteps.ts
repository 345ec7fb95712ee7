/**
 * The compile-time half of the response shaper (shape.ts): an operation's selection sets walked
 * once into plain step lists — response names, aliases, `@skip`/`@include` conditions, fragment
 * type conditions and, per field, its type as a small tree with each leaf's validity check decided
 * once — so that shaping a response needs no directive or schema lookups for fixed types.
 */
import {
  Variable,
  isCompositeType,
  isListType,
  isNonNullType,
  isCustomScalarType,
  isEnumType,
  typenameFieldName,
} from '@apollo/federation-internals';
import type {
  CompositeType,
  SelectionSet,
  Schema,
  Type,
  ScalarType,
  EnumType,
} from '@apollo/federation-internals';
import type { SelectionNode } from 'graphql';

export type Condition = boolean | string; // a constant, or the name of a Boolean variable

export type TypeShape =
  | { readonly k: 'nonNull'; readonly of: TypeShape; readonly name: string }
  | { readonly k: 'list'; readonly of: TypeShape; readonly name: string }
  | { readonly k: 'composite'; readonly type: CompositeType; readonly name: string }
  | { readonly k: 'leaf'; readonly valid: (value: unknown) => boolean; readonly name: string };

export interface Guard {
  readonly skip?: Condition;
  readonly include?: Condition;
}

export interface FieldStep extends Guard {
  readonly kind: 'field';
  readonly responseName: string;
  /** The name is no property of Object.prototype: plain `object[name]` reads and writes are safe. */
  readonly plain: boolean;
  readonly type: TypeShape;
  readonly selections?: Step[];
}
export interface TypenameStep extends Guard {
  readonly kind: 'typename';
  readonly responseName: string;
  /** The name is no property of Object.prototype: plain `object[name]` reads and writes are safe. */
  readonly plain: boolean;
}
export interface IntrospectionStep extends Guard {
  readonly kind: 'introspection';
  readonly responseName: string;
  /** The name is no property of Object.prototype: plain `object[name]` reads and writes are safe. */
  readonly plain: boolean;
  readonly node: SelectionNode;
}
export interface FragmentStep extends Guard {
  readonly kind: 'fragment';
  readonly typeCondition?: CompositeType;
  readonly selections: Step[];
}
export type Step = FieldStep | TypenameStep | IntrospectionStep | FragmentStep;

function guardOf(element: {
  appliedDirectivesOf(name: string): readonly { arguments(): Record<string, unknown> }[];
}): Guard {
  const condition = (name: 'skip' | 'include'): Condition | undefined => {
    const directive = element.appliedDirectivesOf(name)[0];
    if (!directive) return undefined;
    const value = directive.arguments().if;
    return value instanceof Variable ? value.name : Boolean(value);
  };
  const skip = condition('skip');
  const include = condition('include');
  return { ...(skip !== undefined && { skip }), ...(include !== undefined && { include }) };
}

function shapeOf(schema: Schema, type: Type): TypeShape {
  const name = type.toString();
  if (isNonNullType(type)) return { k: 'nonNull', of: shapeOf(schema, type.ofType), name };
  if (isListType(type)) return { k: 'list', of: shapeOf(schema, type.ofType), name };
  if (isCompositeType(type)) return { k: 'composite', type, name };
  return { k: 'leaf', valid: leafValidator(schema, type as ScalarType | EnumType), name };
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * `isValidLeafValue(schema, value, type)` of federation-internals with the type's questions answered
 * once: custom scalars take anything, built-ins their JSON kind, enums their values.
 */
function leafValidator(schema: Schema, type: ScalarType | EnumType): (value: unknown) => boolean {
  if (isCustomScalarType(type)) return () => true;
  const isBoolean = type === schema.booleanType();
  const isInt = type === schema.intType();
  const isFloat = type === schema.floatType();
  const integral = isInt || type === schema.idType();
  const enumType = isEnumType(type) ? type : undefined;
  return (value) => {
    if (typeof value === 'boolean') return isBoolean;
    if (typeof value === 'number' && isFinite(value)) return integral ? INTEGER.test(String(value)) : isFloat;
    if (typeof value === 'string') {
      if (enumType) return enumType.value(value) !== undefined;
      return !isBoolean && !isInt && !isFloat;
    }
    return false;
  };
}

export function compileSelections(schema: Schema, set: SelectionSet): Step[] {
  const steps: Step[] = [];
  for (const selection of set.selections()) {
    const guard = guardOf(selection.element as never);
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      const responseName = field.responseName();
      const plain = !(responseName in Object.prototype);
      if (field.definition.isSchemaIntrospectionField()) {
        steps.push({
          kind: 'introspection',
          responseName,
          plain,
          node: selection.expandFragments().toSelectionNode(),
          ...guard,
        });
      } else if (field.name === typenameFieldName) {
        steps.push({ kind: 'typename', responseName, plain, ...guard });
      } else {
        steps.push({
          kind: 'field',
          responseName,
          plain,
          type: shapeOf(schema, field.definition.type!),
          ...(selection.selectionSet && { selections: compileSelections(schema, selection.selectionSet) }),
          ...guard,
        });
      }
    } else {
      const fragment = selection.element;
      steps.push({
        kind: 'fragment',
        ...(fragment.typeCondition && { typeCondition: fragment.typeCondition }),
        selections: compileSelections(schema, selection.selectionSet),
        ...guard,
      });
    }
  }
  return steps;
}

/** The value of a `@skip`/`@include` condition for these variables. */
export function conditionValue(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition];
  if (typeof value !== 'boolean')
    throw new Error(`Unexpected value ${String(value)} for variable $${condition}`);
  return value;
}
