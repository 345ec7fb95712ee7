/**
 * Personal data masked generically, from the SDL. Every output field marked
 * `@personalData(level: BASIC|SENSITIVE, mask: NAME|DIGITS|ADDRESS|BIRTH_YEAR|IP|HIDE)` gets its
 * resolver wrapped when the schema is built: the value is shown as it is only to a caller who may see
 * that record's personal data (kit/runtime/access.ts `maySeePersonal`), and each such disclosure is reported
 * to the request's audit trail; everyone else gets the masked form. Whose record it is comes from the
 * subgraph's declaration of owners, one function per type (`defineSubgraph({ personalData: { Applicant:
 * (dossier) => ({ id, agencyCode, citizenId }) } })`). A type with marked fields and no owner, an owner
 * for a type without marked fields, or a mask that cannot apply to its field, stops start-up.
 */
import { defaultFieldResolver, getNullableType, isListType, isNonNullType, isObjectType } from 'graphql';
import type { ConstDirectiveNode, GraphQLField, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { Access, RecordOwner } from '../access';
import type { AuditTrail } from '../auditlog/trail';
import { maskAddress, maskBirthYear, maskDigits, maskIp, maskName } from './masks';

/** Whose personal data a record holds: `id` names the record in the audit log. */
export interface PersonalDataOwner extends RecordOwner {
  readonly id: string;
}

/** Per GraphQL type holding `@personalData` fields: the owner of the parent object those fields are read from. */
export type PersonalDataOwners = Readonly<Record<string, (parent: any) => PersonalDataOwner>>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIRECTIVE = 'personalData';

/** The maskers `mask:` names. HIDE shows nothing: null, or an empty list. */
export const MASKERS = {
  NAME: (v: unknown) => maskName(String(v)),
  DIGITS: (v: unknown) => maskDigits(String(v)),
  ADDRESS: (v: unknown) => maskAddress(String(v)),
  BIRTH_YEAR: (v: unknown) => maskBirthYear(Number(v)),
  IP: (v: unknown) => maskIp(String(v)),
  HIDE: () => null,
} as const;
export type MaskName = keyof typeof MASKERS;
export const LEVELS = ['BASIC', 'SENSITIVE'] as const;

interface Mark {
  mask: MaskName;
  level: (typeof LEVELS)[number];
}

function argument(d: ConstDirectiveNode, name: string): string | undefined {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v && (v.kind === 'EnumValue' || v.kind === 'StringValue') ? v.value : undefined;
}

function markOf(field: GraphQLField<unknown, unknown>, where: string): Mark | null {
  const d = field.astNode?.directives?.find((x) => x.name.value === DIRECTIVE);
  if (!d) return null;
  const mask = argument(d, 'mask') ?? 'HIDE';
  const level = argument(d, 'level') ?? 'BASIC';
  if (!(mask in MASKERS))
    throw new Error(
      `${where}: @personalData mask "${mask}" is not one of ${Object.keys(MASKERS).join(', ')}`,
    );
  if (!(LEVELS as readonly string[]).includes(level))
    throw new Error(`${where}: @personalData level "${level}" is not BASIC or SENSITIVE`);
  const type = getNullableType(field.type);
  if (mask === 'HIDE' && isNonNullType(field.type) && !isListType(type))
    throw new Error(`${where}: mask HIDE needs a nullable field or a list (it is ${String(field.type)})`);
  if (mask !== 'HIDE' && isListType(type)) throw new Error(`${where}: a list can only be masked with HIDE`);
  return { mask: mask as MaskName, level: level as Mark['level'] };
}

interface PersonalContext {
  access: Access;
  audit: AuditTrail;
}

function wrap(
  type: string,
  field: GraphQLField<unknown, unknown>,
  mark: Mark,
  owner: (parent: unknown) => PersonalDataOwner,
): GraphQLFieldResolver<unknown, PersonalContext> {
  const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, PersonalContext>;
  const list = isListType(getNullableType(field.type));
  const masker = MASKERS[mark.mask];
  const hidden = list ? [] : null;
  return async (parent, args, ctx, info) => {
    const who = owner(parent);
    // A hidden field is not even read for a caller who may not see it.
    const may = await ctx.access.maySeePersonal(who);
    if (!may && mark.mask === 'HIDE') return hidden;
    const value: unknown = await resolve(parent, args, ctx, info);
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return value;
    if (!may) return masker(value);
    ctx.audit.disclosed(type, who.id, [field.name]);
    return value;
  };
}

/**
 * Wraps every `@personalData` output field of `schema` (in place) so that it is masked unless the
 * caller may see it. Throws, naming the type or field, when the declarations do not match the SDL.
 */
export function protectPersonalData(schema: GraphQLSchema, owners: PersonalDataOwners = {}): string[] {
  const protectedFields: string[] = [];
  const typesWithMarks = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const marked = Object.values(type.getFields()).flatMap((f) => {
      const mark = markOf(f, `${type.name}.${f.name}`);
      return mark ? [{ f, mark }] : [];
    });
    if (!marked.length) continue;
    typesWithMarks.add(type.name);
    const owner = owners[type.name];
    if (!owner)
      throw new Error(
        `type ${type.name} has @personalData fields (${marked.map((m) => m.f.name).join(', ')}) but no owner: ` +
          `declare personalData: { ${type.name}: (parent) => ({ id, agencyCode, citizenId }) } in defineSubgraph`,
      );
    for (const { f, mark } of marked) {
      f.resolve = wrap(type.name, f, mark, owner) as GraphQLFieldResolver<unknown, unknown>;
      protectedFields.push(`${type.name}.${f.name}`);
    }
  }
  for (const name of Object.keys(owners))
    if (!typesWithMarks.has(name))
      throw new Error(`personalData declares an owner for ${name}, which has no @personalData field`);
  return protectedFields;
}
