/**
 * Reading linked directives (`@link(url: "https://specs.apollo.dev/<feature>/v0.1", as:, import:, for:)`)
 * out of a supergraph: what local name each directive of a feature goes by, and where it is used.
 * Composition carries `@authenticated`, `@requiresScopes`, `@policy`, `@cost` and `@listSize` into the
 * supergraph this way, but none of them reaches the API schema the engines serve, so the features
 * that act on them (features/authorization/, features/limits/) read them here from the supergraph
 * text. Core, not a feature's: two features read it.
 */
import { Kind, parse, valueFromASTUntyped } from 'graphql';
import type { ConstDirectiveNode, DocumentNode } from 'graphql';

/** `https://specs.apollo.dev/cost/v0.1` → `{ base: 'https://specs.apollo.dev/cost', name: 'cost' }`. */
export function featureOf(url: string): { base: string; name: string } | undefined {
  const m = /^(.*\/([A-Za-z_][A-Za-z0-9_]*))\/v\d+\.\d+\/?$/.exec(url);
  return m ? { base: m[1]!, name: m[2]! } : undefined;
}

interface Link {
  url: string;
  as?: string;
  for?: string;
  imports: Map<string, string>;
}

function links(document: DocumentNode): Link[] {
  const out: Link[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link') continue;
      const args = directiveArguments(d);
      if (typeof args.url !== 'string') continue;
      const imports = new Map<string, string>();
      for (const item of Array.isArray(args.import) ? args.import : []) {
        if (typeof item === 'string') imports.set(item, item);
        else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
          const { name, as } = item as { name: string; as?: string };
          imports.set(name, typeof as === 'string' ? as : name);
        }
      }
      out.push({
        url: args.url,
        as: typeof args.as === 'string' ? args.as : undefined,
        for: typeof args.for === 'string' ? args.for : undefined,
        imports,
      });
    }
  }
  return out;
}

/** The arguments of a directive use as plain values. */
export function directiveArguments(directive: ConstDirectiveNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) out[arg.name.value] = valueFromASTUntyped(arg.value);
  return out;
}

/**
 * The local name (without `@`) of directive `directive` of the feature at `featureBase` (e.g.
 * `https://specs.apollo.dev/cost`), or undefined when the supergraph does not link that feature.
 * Imported names win; the feature's namesake directive is `@<as or feature name>`; others are
 * `@<as or feature name>__<directive>`.
 */
export function linkedDirectiveName(
  document: DocumentNode,
  featureBase: string,
  directive: string,
): string | undefined {
  for (const link of links(document)) {
    const feature = featureOf(link.url);
    if (!feature || feature.base !== featureBase) continue;
    const imported = link.imports.get(`@${directive}`);
    if (imported) return imported.replace(/^@/, '');
    const prefix = link.as ?? feature.name;
    return directive === feature.name ? prefix : `${prefix}__${directive}`;
  }
  return undefined;
}

/** One use of a directive: on a type (`coordinate` = `Type`) or a field (`Type.field`). */
export interface DirectiveUse {
  coordinate: string;
  /** The type (or the field's parent type) it is on. */
  typeName: string;
  fieldName?: string;
  args: Record<string, unknown>;
}

const TYPE_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.UNION_TYPE_EXTENSION,
]);

/** Every use of directive `@name` on types and on their fields. */
export function directiveUses(document: DocumentNode, name: string): DirectiveUse[] {
  const out: DirectiveUse[] = [];
  for (const def of document.definitions) {
    if (!TYPE_KINDS.has(def.kind)) continue;
    const type = def as {
      name: { value: string };
      directives?: readonly ConstDirectiveNode[];
      fields?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[];
    };
    const typeName = type.name.value;
    for (const d of type.directives ?? [])
      if (d.name.value === name) out.push({ coordinate: typeName, typeName, args: directiveArguments(d) });
    for (const field of type.fields ?? [])
      for (const d of field.directives ?? [])
        if (d.name.value === name)
          out.push({
            coordinate: `${typeName}.${field.name.value}`,
            typeName,
            fieldName: field.name.value,
            args: directiveArguments(d),
          });
  }
  return out;
}

/** Parses a supergraph (no validation: @apollo/gateway validates it when it loads it). */
export function parseSupergraph(sdl: string): DocumentNode {
  return parse(sdl, { noLocation: true });
}
