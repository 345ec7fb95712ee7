/**
 * Document transforms, a feature part (feature.ts `documentTransform`): a feature may change the
 * operation the engine plans and executes for a request (authorization removes the fields the caller
 * may not see). The core wraps whichever engine runs (govgraph or the reference): each transform, in
 * feature-list order, gets the operation as the previous one left it and returns a replacement or
 * nothing. No feature writes Apollo Server's request context.
 *
 * Both engines cache plans by query hash, so each distinct transformed document gets a hash of its
 * own: a transform returns the same DocumentNode object for the same input (memoise it) to keep its
 * plans cached.
 */
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './context';
import type { GatewayEngine } from './engine';

/** The operation about to be planned, and for whom. */
export interface OperationToPlan {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  /** The operation of `document` that runs (Apollo Server resolved it by name). */
  readonly operation: OperationDefinitionNode;
  readonly operationName: string | null;
  readonly context: GatewayContext;
}

/** What a transform puts in the operation's place: a document and its operation to run. */
export interface TransformedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/** Returns the operation to run instead, or undefined to leave it as it is. */
export type DocumentTransform = (input: OperationToPlan) => TransformedOperation | undefined;

/** The engine with `transforms` applied to every operation before it plans it. */
export function withDocumentTransforms(
  engine: GatewayEngine,
  transforms: readonly DocumentTransform[],
): GatewayEngine {
  if (transforms.length === 0) return engine;
  const ids = new WeakMap<DocumentNode, number>();
  let next = 0;
  const wrap =
    (executor: GatewayExecutor): GatewayExecutor =>
    (requestContext) => {
      const context = requestContext.context as GatewayContext;
      let current: OperationToPlan = {
        schema: requestContext.schema,
        document: requestContext.document,
        operation: requestContext.operation,
        operationName: requestContext.operationName,
        context,
      };
      for (const transform of transforms) {
        const replaced = transform(current);
        if (replaced) current = { ...current, ...replaced };
      }
      const { document, operation } = current;
      if (document === requestContext.document) return executor(requestContext);
      let id = ids.get(document);
      if (id === undefined) ids.set(document, (id = ++next));
      return executor({
        ...requestContext,
        document,
        operation,
        queryHash: `${requestContext.queryHash}:${id}`,
      });
    };
  return {
    healthCheck: () => engine.healthCheck(),
    onSchemaLoadOrUpdate: (callback) => engine.onSchemaLoadOrUpdate(callback),
    stop: () => engine.stop(),
    settled: () => engine.settled(),
    async load(options) {
      const { executor } = await engine.load(options);
      return { executor: executor && wrap(executor) };
    },
  };
}
