/**
 * Query limits. Tokens are counted, and the variables' size measured (GATEWAY_MAX_VARIABLES_SIZE,
 * 413 PAYLOAD_TOO_LARGE), before anything parses the document (in the request context, so the
 * refusal is a clean 4xx), which bounds what parsing and validation can cost; depth, aliases,
 * root fields, directives and the estimated cost are then checked once the operation is resolved
 * (Apollo Server answers 500 for errors thrown by its earlier hooks). Each refusal is a 400 with a
 * message naming the limit: GRAPHQL_PARSE_FAILED for tokens, GRAPHQL_VALIDATION_FAILED for the rest.
 *
 * Hand-written rather than graphql-armor: one pass over the document computes every structural count
 * (armor runs one validation rule per limit), the token check skips documents shorter than the limit
 * (a token is at least one character), and the cost estimate (../cost.ts) reads the supergraph's
 * `@cost` and `@listSize`, which it is given when the supergraph loads, and counts the items of
 * every list given to an argument, inline or in variables (so a mutation's input is bounded too).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, Lexer, Source, TokenKind } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { FastifyRequest } from 'fastify';
import { env } from '../../../common/env';
import { ErrorCode } from '../../../schema/error-codes';
import type { GatewayContext } from '../../context';
import { estimateCost, NO_ANNOTATIONS, readCostAnnotations } from './cost';
import type { CostAnnotations } from './cost';
import { defineFeature } from '../../feature';
import type { ContextFields } from '../../feature';
import { fragmentsByName } from '../../fragments';

export interface Limits {
  maxTokens: number;
  maxVariablesBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxCost: number;
  listSize: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTokens: 2000,
  maxVariablesBytes: 65_536,
  maxDepth: 10,
  maxAliases: 15,
  maxRootFields: 20,
  maxDirectives: 50,
  maxCost: 5000,
  listSize: 10,
});

export { estimateCost } from './cost';

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
  const fragments = fragmentsByName(document);
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

/** The query text of a GraphQL-over-HTTP request (POST body or GET parameter), if any. */
export function queryText(request: FastifyRequest): string | undefined {
  const holder = (request.method === 'GET' ? request.query : request.body) as { query?: unknown } | null;
  return holder && typeof holder === 'object' && typeof holder.query === 'string' ? holder.query : undefined;
}

/** Bytes of a request's variables as sent: the GET parameter's text, or the POST body's object as JSON. */
export function variablesBytes(request: FastifyRequest): number {
  const holder = (request.method === 'GET' ? request.query : request.body) as { variables?: unknown } | null;
  const variables = holder && typeof holder === 'object' ? holder.variables : undefined;
  if (variables === undefined || variables === null) return 0;
  return Buffer.byteLength(typeof variables === 'string' ? variables : (JSON.stringify(variables) ?? ''));
}

/**
 * Refuses a document of more than `maxTokens` tokens (400 GRAPHQL_PARSE_FAILED) and variables of more
 * than `maxVariablesBytes` bytes (413 PAYLOAD_TOO_LARGE), before anything is parsed or planned.
 */
export function tokenGuard(
  maxTokens: number,
  maxVariablesBytes = DEFAULT_LIMITS.maxVariablesBytes,
): (request: FastifyRequest) => ContextFields {
  return (request) => {
    const query = queryText(request);
    if (query !== undefined && exceedsTokens(query, maxTokens))
      throw refuse(
        ErrorCode.GRAPHQL_PARSE_FAILED,
        `Syntax Error: the document has more than ${maxTokens} tokens`,
      );
    const bytes = variablesBytes(request);
    if (bytes > maxVariablesBytes)
      throw new GraphQLError(`Variables of ${bytes} bytes exceed the limit of ${maxVariablesBytes}`, {
        extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, http: { status: 413 } },
      });
    return {};
  };
}

export function limitsPlugin(
  limits: Limits,
  annotations: () => CostAnnotations = () => NO_ANNOTATIONS,
): ApolloServerPlugin<GatewayContext> {
  // Apollo Server reuses the parsed document of a repeated query: measure it once.
  const shapes = new WeakMap<DocumentNode, Shape>();
  // Without variables an operation's cost depends only on the document and schema: estimate it once.
  const costs = new WeakMap<
    OperationDefinitionNode,
    { schema: GraphQLSchema; annotations: CostAnnotations; cost: number }
  >();
  const costOf = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): number => {
    const current = annotations();
    if (operation.variableDefinitions?.length)
      return estimateCost(schema, document, operation, variables, limits.listSize, current);
    const cached = costs.get(operation);
    if (cached && cached.schema === schema && cached.annotations === current) return cached.cost;
    const cost = estimateCost(schema, document, operation, {}, limits.listSize, current);
    costs.set(operation, { schema, annotations: current, cost });
    return cost;
  };
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
          const cost = costOf(schema, document, operation, request.variables ?? {});
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
    /** Most bytes of variables (JSON) in a request (refused before parsing, 413). */
    GATEWAY_MAX_VARIABLES_SIZE: env.integer(1, 1 << 30).default(DEFAULT_LIMITS.maxVariablesBytes),
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
    /** Items assumed for a list without `@listSize` and without a `first`/`last`/`limit` argument. */
    GATEWAY_COST_LIST_SIZE: env.integer(1, 10_000).default(DEFAULT_LIMITS.listSize),
  },
  create: (s) => {
    let annotations = NO_ANNOTATIONS;
    return {
      context: tokenGuard(s.GATEWAY_MAX_TOKENS, s.GATEWAY_MAX_VARIABLES_SIZE),
      supergraph(sdl: string) {
        annotations = readCostAnnotations(sdl);
        return sdl;
      },
      plugins: [
        limitsPlugin(
          {
            maxTokens: s.GATEWAY_MAX_TOKENS,
            maxVariablesBytes: s.GATEWAY_MAX_VARIABLES_SIZE,
            maxDepth: s.GATEWAY_MAX_DEPTH,
            maxAliases: s.GATEWAY_MAX_ALIASES,
            maxRootFields: s.GATEWAY_MAX_ROOT_FIELDS,
            maxDirectives: s.GATEWAY_MAX_DIRECTIVES,
            maxCost: s.GATEWAY_MAX_COST,
            listSize: s.GATEWAY_COST_LIST_SIZE,
          },
          () => annotations,
        ),
      ],
    };
  },
});
