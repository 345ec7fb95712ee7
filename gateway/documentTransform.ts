/**
 * Seams that plug into both engines. A pre-planning document transform (e.g. authorization that
 * removes fields the caller may not see) wraps the executor either engine's `load()` returns: the
 * transformed document is what gets planned and executed. Both engines cache plans by query hash,
 * so the wrapper gives each distinct transformed document its own hash: a transform must return the
 * same DocumentNode object for the same input (memoise it) to keep plans cached.
 */
import type { GatewayInterface, GatewayLoadResult } from '@apollo/server-gateway-interface';
import type { DocumentNode } from 'graphql';
import type { GatewayContext } from './context';

export type DocumentTransform = (document: DocumentNode, context: GatewayContext) => DocumentNode;

export function withDocumentTransform(
  gateway: GatewayInterface,
  transform: DocumentTransform,
): GatewayInterface {
  const ids = new WeakMap<DocumentNode, number>();
  let next = 0;
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options): Promise<GatewayLoadResult> {
      const { executor } = await gateway.load(options);
      if (!executor) return { executor };
      return {
        executor: (requestContext) => {
          const document = transform(requestContext.document, requestContext.context as GatewayContext);
          if (document === requestContext.document) return executor(requestContext);
          let id = ids.get(document);
          if (id === undefined) ids.set(document, (id = ++next));
          return executor({ ...requestContext, document, queryHash: `${requestContext.queryHash}:${id}` });
        },
      };
    },
  };
}
