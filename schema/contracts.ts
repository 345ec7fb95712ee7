/**
 * Schema contracts (issue 19): one API schema per contract, cut from the graph's API schema by the
 * `@tag`s the subgraphs put on types and fields (`@tag(name: "budgets")`), kept in the supergraph.
 *
 * - `exclude`: an element tagged with an excluded tag is removed, and so is every field of a type so tagged;
 * - `include` (when not empty): an object or interface field stays only when it or its type carries
 *   an included tag;
 * - then fields whose type or a required argument's type was removed are removed, object types left
 *   without fields are removed, and every type no root reaches is removed, until nothing changes.
 *
 * Derived here rather than by `@theguild/federation-composition`'s `composeSchemaContract`: that
 * one composes subgraph SDLs, and a gateway has only the supergraph — the subgraphs Apollo extracts
 * from it lose their `@tag`s and declare federation v2.14, which it refuses (docs/contracts.md).
 */
import { Supergraph } from '@apollo/federation-internals';
import { buildASTSchema, Kind, parse, printSchema } from 'graphql';
import type {
  DefinitionNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLSchema,
  InputValueDefinitionNode,
  TypeNode,
} from 'graphql';

export interface ContractFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** A contract: its tag filter and the partners it is served to (agency codes, `scope:<scope>`). */
export interface ContractDefinition extends ContractFilter {
  readonly partners: readonly string[];
}

/**
 * Contract definitions, name → definition: the contracts file (schema/contracts.json) and the
 * registry's signed contracts document have this one shape.
 */
export type ContractDefinitions = Record<string, ContractDefinition>;

export const CONTRACT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const NAME = CONTRACT_NAME;
/** A partner a contract is served to: an agency code, or `scope:<scope>` for any partner token with it. */
export const CONTRACT_PARTNER = /^(scope:[^\s,=]+|[A-Za-z0-9][A-Za-z0-9._-]*)$/;

/** Validates a parsed contracts file; throws an Error naming the bad part. */
export function parseContractDefinitions(raw: unknown): ContractDefinitions {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('must be an object of contracts');
  const out: ContractDefinitions = {};
  const servedBy = new Map<string, string>();
  for (const [name, def] of Object.entries(raw as Record<string, unknown>)) {
    if (!NAME.test(name))
      throw new Error(`contract "${name}": names are lower-case letters, digits and hyphens`);
    const d = def as Partial<Record<'include' | 'exclude', unknown>>;
    const list = (key: 'include' | 'exclude'): string[] => {
      const v = d?.[key] ?? [];
      if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || t === ''))
        throw new Error(`contract "${name}": ${key} must be a list of tag names`);
      return v as string[];
    };
    const include = list('include');
    const exclude = list('exclude');
    if (include.length === 0 && exclude.length === 0)
      throw new Error(`contract "${name}": give at least one include or exclude tag`);
    const partners = (d as { partners?: unknown }).partners ?? [];
    if (!Array.isArray(partners) || partners.some((p) => typeof p !== 'string' || !CONTRACT_PARTNER.test(p)))
      throw new Error(`contract "${name}": partners must be a list of agency codes or scope:<scope>`);
    for (const p of partners as string[])
      if (servedBy.has(p))
        throw new Error(`contract "${name}": partner ${p} is already served contract "${servedBy.get(p)}"`);
      else servedBy.set(p, name);
    out[name] = { include, exclude, partners: partners as string[] };
  }
  return out;
}

/** The graph's API schema, from a supergraph document (what clients are validated against). */
export function apiSchemaOfSupergraph(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}

/**
 * Every contract's schema for one supergraph; throws naming the first contract that leaves no
 * `Query` field (such a contract cannot be served).
 */
export function contractSchemas(
  supergraphSdl: string,
  definitions: Readonly<Record<string, ContractFilter>>,
  /** The supergraph's API schema, when the caller keeps it (building it is most of the cost). */
  apiSchema?: GraphQLSchema,
): Map<string, GraphQLSchema> {
  const out = new Map<string, GraphQLSchema>();
  const names = Object.keys(definitions);
  if (names.length === 0) return out;
  const api = apiSchema ?? apiSchemaOfSupergraph(supergraphSdl);
  for (const name of names) {
    const schema = contractSchema(api, supergraphSdl, definitions[name]!);
    if (!schema.getQueryType()) throw new Error(`contract "${name}" leaves no Query field`);
    out.set(name, schema);
  }
  return out;
}

/** Tags by schema coordinate (`Type`, `Type.field`, `Enum.VALUE`) as the supergraph carries them. */
export function tagsOf(supergraph: DocumentNode): Map<string, Set<string>> {
  const tags = new Map<string, Set<string>>();
  const add = (
    coordinate: string,
    directives: readonly { name: { value: string }; arguments?: readonly unknown[] }[] | undefined,
  ) => {
    for (const d of directives ?? []) {
      if (d.name.value !== 'tag') continue;
      const arg = (
        d.arguments as { name: { value: string }; value: { kind: string; value?: string } }[] | undefined
      )?.find((a) => a.name.value === 'name');
      if (arg?.value.kind !== Kind.STRING || !arg.value.value) continue;
      let set = tags.get(coordinate);
      if (!set) tags.set(coordinate, (set = new Set()));
      set.add(arg.value.value);
    }
  };
  for (const def of supergraph.definitions) {
    if (!('name' in def) || !def.name) continue;
    const type = def.name.value;
    add(type, 'directives' in def ? def.directives : undefined);
    if ('fields' in def) for (const f of def.fields ?? []) add(`${type}.${f.name.value}`, f.directives);
    if ('values' in def) for (const v of def.values ?? []) add(`${type}.${v.name.value}`, v.directives);
  }
  return tags;
}

const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));

/** The contract's API schema: `apiSchema` cut by `filter` using the tags of `supergraphSdl`. */
export function contractSchema(
  apiSchema: GraphQLSchema,
  supergraphSdl: string,
  filter: ContractFilter,
): GraphQLSchema {
  const tags = tagsOf(parse(supergraphSdl));
  const include = new Set(filter.include);
  const exclude = new Set(filter.exclude);
  const has = (coordinate: string, set: Set<string>) =>
    [...(tags.get(coordinate) ?? [])].some((t) => set.has(t));
  const roots = [apiSchema.getQueryType(), apiSchema.getMutationType(), apiSchema.getSubscriptionType()]
    .filter((t) => !!t)
    .map((t) => t.name);

  let defs: DefinitionNode[] = [...parse(printSchema(apiSchema)).definitions];
  // Exclusion and inclusion by tag.
  defs = defs
    .filter((d) => !('name' in d && d.name && has(d.name.value, exclude)))
    .map((d) => {
      if (
        (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.INTERFACE_TYPE_DEFINITION) ||
        !d.fields
      ) {
        if (d.kind === Kind.ENUM_TYPE_DEFINITION)
          return { ...d, values: d.values?.filter((v) => !has(`${d.name.value}.${v.name.value}`, exclude)) };
        return d;
      }
      const type = d.name.value;
      const typeIncluded = include.size === 0 || has(type, include);
      const fields = d.fields.filter(
        (f) =>
          !has(`${type}.${f.name.value}`, exclude) &&
          (typeIncluded || has(`${type}.${f.name.value}`, include)),
      );
      return { ...d, fields };
    });

  // Consistency and reachability, to a fixed point.
  for (;;) {
    const present = new Set(defs.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
    const builtIn = (n: string) => ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(n);
    const known = (n: string) => builtIn(n) || present.has(n);
    const argsOk = (args: readonly InputValueDefinitionNode[] | undefined) =>
      (args ?? []).every((a) => a.type.kind !== Kind.NON_NULL_TYPE || known(named(a.type)));
    const keepField = (f: FieldDefinitionNode) => known(named(f.type)) && argsOk(f.arguments);
    let next: DefinitionNode[] = defs.map((d) => {
      if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION)
        return {
          ...d,
          fields: d.fields
            ?.filter(keepField)
            .map((f) => ({ ...f, arguments: f.arguments?.filter((a) => known(named(a.type))) })),
          interfaces: d.interfaces?.filter((i) => present.has(i.name.value)),
        };
      if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
        return { ...d, fields: d.fields?.filter((f) => known(named(f.type))) };
      if (d.kind === Kind.UNION_TYPE_DEFINITION)
        return { ...d, types: d.types?.filter((t) => present.has(t.name.value)) };
      return d;
    });
    next = next.filter((d) => {
      if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION)
        return (d.fields?.length ?? 0) > 0;
      if (d.kind === Kind.UNION_TYPE_DEFINITION) return (d.types?.length ?? 0) > 0;
      if (d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
        return ((d.kind === Kind.ENUM_TYPE_DEFINITION ? d.values : d.fields)?.length ?? 0) > 0;
      return true;
    });
    next = reachable(next, roots);
    const unchanged = next.length === defs.length && JSON.stringify(next) === JSON.stringify(defs);
    defs = next;
    if (unchanged) break;
  }
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions: defs }, { assumeValidSDL: true });
}

/** Keeps the definitions reachable from the root types (and directive definitions, schema definitions). */
function reachable(defs: DefinitionNode[], roots: string[]): DefinitionNode[] {
  const byName = new Map<string, DefinitionNode>();
  for (const d of defs)
    if ('name' in d && d.name && d.kind !== Kind.DIRECTIVE_DEFINITION) byName.set(d.name.value, d);
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const d = byName.get(name);
    if (!d) return;
    seen.add(name);
    if ('fields' in d)
      for (const f of d.fields ?? []) {
        visit(named(f.type));
        if ('arguments' in f) for (const a of f.arguments ?? []) visit(named(a.type));
      }
    if ('interfaces' in d) for (const i of d.interfaces ?? []) visit(i.name.value);
    if ('types' in d) for (const t of d.types ?? []) visit(t.name.value);
  };
  roots.forEach(visit);
  // An interface's implementations stay reachable through it.
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of defs)
      if (
        (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) &&
        !seen.has(d.name.value) &&
        d.interfaces?.some((i) => seen.has(i.name.value))
      ) {
        visit(d.name.value);
        grew = true;
      }
  }
  return defs.filter(
    (d) =>
      !('name' in d && d.name && d.kind !== Kind.DIRECTIVE_DEFINITION) ||
      seen.has((d as { name: { value: string } }).name.value),
  );
}
