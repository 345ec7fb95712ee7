/**
 * Query limits. Tokens are counted before anything parses the document (in the request context, so
 * the refusal is a clean 400), which bounds what parsing and validation can cost; depth, aliases,
 * root fields, directives and the estimated cost are then checked once the operation is resolved
 * (Apollo Server answers 500 for errors thrown by its earlier hooks). Each refusal is a 400 with a
 * message naming the limit: GRAPHQL_PARSE_FAILED for tokens, GRAPHQL_VALIDATION_FAILED for the rest.
 *
 * Hand-written rather than graphql-armor: one pass over the document computes every structural count
 * (armor runs one validation rule per limit), the token check skips documents shorter than the limit
 * (a token is at least one character), and the cost estimate knows our connection shape.
 *
 * Cost estimate (no `@cost`/`@listSize` reach the gateway's API schema): an object field costs 1 and
 * leaves 0, times how many times it runs. A field with a `first`, `last` or `limit` argument runs its
 * list that many times (the list itself when it returns one, else its connection's `nodes`/`edges`);
 * any other list counts `GATEWAY_COST_LIST_SIZE` items. Introspection fields are not counted
 * (graphql-js limits introspection depth itself).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isListType,
  isNonNullType,
} from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLCompositeType,
} from 'graphql';
import { isCompositeType, isObjectType, isInterfaceType } from 'graphql';
import type { FastifyRequest } from 'fastify';
import { env } from '../../common/env';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';
import type { ContextFields } from '../feature';

export interface Limits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxCost: number;
  listSize: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTokens: 2000,
  maxDepth: 10,
  maxAliases: 15,
  maxRootFields: 20,
  maxDirectives: 50,
  maxCost: 5000,
  listSize: 10,
});

const SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);

function refuse(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** Counts tokens up to `max + 1`; a document shorter than `max` characters cannot exceed it. */
export function exceedsTokens(source: string, max: number): boolean {
  if (source.length <= max) return false;
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) return true;
  } catch {
    return false; // a syntax error: the parser reports it
  }
  return false;
}

interface Shape {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

/** Depth, aliases, root fields and directives of each operation, fragments expanded (cycles cut). */
export function measure(document: DocumentNode): Shape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const worst: Shape = { depth: 0, aliases: 0, rootFields: 0, directives: 0 };
  for (const op of document.definitions) {
    if (op.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape: Shape = { depth: 0, aliases: 0, rootFields: 0, directives: op.directives?.length ?? 0 };
    const walk = (set: SelectionSetNode, depth: number, seen: ReadonlySet<string>, root: boolean) => {
      for (const sel of set.selections) {
        shape.directives += sel.directives?.length ?? 0;
        if (sel.kind === Kind.FIELD) {
          if (sel.alias) shape.aliases++;
          if (root) shape.rootFields++;
          if (sel.name.value.startsWith('__')) continue;
          shape.depth = Math.max(shape.depth, depth);
          if (sel.selectionSet) walk(sel.selectionSet, depth + 1, seen, false);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          walk(sel.selectionSet, depth, seen, root);
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          shape.directives += fragment.directives?.length ?? 0;
          walk(fragment.selectionSet, depth, new Set([...seen, name]), root);
        }
      }
    };
    walk(op.selectionSet, 1, new Set(), true);
    for (const k of Object.keys(worst) as (keyof Shape)[]) worst[k] = Math.max(worst[k], shape[k]);
  }
  return worst;
}

/** The estimated cost of one operation (see the file comment). */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  listSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const sizeOf = (
    args: readonly { name: { value: string }; value: { kind: string } }[],
  ): number | undefined => {
    for (const arg of args) {
      if (!SIZE_ARGUMENTS.has(arg.name.value)) continue;
      const v = arg.value as { kind: string; value?: string; name?: { value: string } };
      if (v.kind === Kind.INT) return Number(v.value);
      if (v.kind === Kind.VARIABLE) {
        const n = variables[v.name!.value];
        if (typeof n === 'number') return n;
      }
    }
    return undefined;
  };
  const isList = (t: GraphQLOutputType): boolean => isListType(isNonNullType(t) ? t.ofType : t);
  const cost = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    inherited: number | undefined,
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
      if (sel.name.value.startsWith('__') || !sel.selectionSet) continue;
      const field =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[sel.name.value] : undefined;
      if (!field) continue;
      const size = sizeOf(sel.arguments ?? []);
      const named = getNamedType(field.type);
      let times = 1;
      // A sized non-list field (a connection) passes its size to its own lists (`nodes`, `edges`).
      let pass: number | undefined;
      if (isList(field.type)) times = size ?? inherited ?? listSize;
      else pass = size;
      const inner = isCompositeType(named) ? cost(sel.selectionSet, named, pass, seen) : 0;
      total += times * (1 + inner);
    }
    return total;
  };
  return root ? cost(operation.selectionSet, root, undefined, new Set()) : 0;
}

/** The query text of a GraphQL-over-HTTP request (POST body or GET parameter), if any. */
export function queryText(request: FastifyRequest): string | undefined {
  const holder = (request.method === 'GET' ? request.query : request.body) as { query?: unknown } | null;
  return holder && typeof holder === 'object' && typeof holder.query === 'string' ? holder.query : undefined;
}

export function tokenGuard(maxTokens: number): (request: FastifyRequest) => ContextFields {
  return (request) => {
    const query = queryText(request);
    if (query !== undefined && exceedsTokens(query, maxTokens))
      throw refuse(
        ErrorCode.GRAPHQL_PARSE_FAILED,
        `Syntax Error: the document has more than ${maxTokens} tokens`,
      );
    return {};
  };
}

export function limitsPlugin(limits: Limits): ApolloServerPlugin<GatewayContext> {
  // Apollo Server reuses the parsed document of a repeated query: measure it once.
  const shapes = new WeakMap<DocumentNode, Shape>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          let s = shapes.get(document);
          if (!s) shapes.set(document, (s = measure(document)));
          const over = (what: string, n: number, max: number) =>
            refuse(ErrorCode.GRAPHQL_VALIDATION_FAILED, `${what} ${n} exceeds the limit of ${max}`);
          if (s.depth > limits.maxDepth) throw over('Query depth', s.depth, limits.maxDepth);
          if (s.aliases > limits.maxAliases) throw over('Alias count', s.aliases, limits.maxAliases);
          if (s.rootFields > limits.maxRootFields)
            throw over('Root field count', s.rootFields, limits.maxRootFields);
          if (s.directives > limits.maxDirectives)
            throw over('Directive count', s.directives, limits.maxDirectives);
          if (!operation) return;
          const cost = estimateCost(schema, document, operation, request.variables ?? {}, limits.listSize);
          if (cost > limits.maxCost)
            throw refuse(
              ErrorCode.GRAPHQL_VALIDATION_FAILED,
              `Estimated query cost ${cost} exceeds the limit of ${limits.maxCost}`,
            );
        },
      };
    },
  };
}

export const limits = defineFeature({
  name: 'limits',
  env: {
    /** Most tokens in a document (refused before parsing). */
    GATEWAY_MAX_TOKENS: env.integer(1, 1_000_000).default(DEFAULT_LIMITS.maxTokens),
    /** Deepest field nesting (fragments expanded; introspection not counted). */
    GATEWAY_MAX_DEPTH: env.integer(1, 1000).default(DEFAULT_LIMITS.maxDepth),
    /** Most aliases in an operation. */
    GATEWAY_MAX_ALIASES: env.integer(0, 100_000).default(DEFAULT_LIMITS.maxAliases),
    /** Most fields at the root of an operation. */
    GATEWAY_MAX_ROOT_FIELDS: env.integer(1, 100_000).default(DEFAULT_LIMITS.maxRootFields),
    /** Most directives in an operation. */
    GATEWAY_MAX_DIRECTIVES: env.integer(0, 100_000).default(DEFAULT_LIMITS.maxDirectives),
    /** Highest estimated cost (see limits.ts). */
    GATEWAY_MAX_COST: env.integer(1, 100_000_000).default(DEFAULT_LIMITS.maxCost),
    /** Items assumed for a list without a `first`/`last`/`limit` argument. */
    GATEWAY_COST_LIST_SIZE: env.integer(1, 10_000).default(DEFAULT_LIMITS.listSize),
  },
  create: (s) => ({
    context: tokenGuard(s.GATEWAY_MAX_TOKENS),
    plugins: [
      limitsPlugin({
        maxTokens: s.GATEWAY_MAX_TOKENS,
        maxDepth: s.GATEWAY_MAX_DEPTH,
        maxAliases: s.GATEWAY_MAX_ALIASES,
        maxRootFields: s.GATEWAY_MAX_ROOT_FIELDS,
        maxDirectives: s.GATEWAY_MAX_DIRECTIVES,
        maxCost: s.GATEWAY_MAX_COST,
        listSize: s.GATEWAY_COST_LIST_SIZE,
      }),
    ],
  }),
});
