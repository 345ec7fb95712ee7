/**
 * Caller signing, the transport's part: a fetch wrapper that puts a token on every subgraph fetch,
 * in the header the subgraphs read. The identity feature contributes only what it must: the header
 * and how to sign the caller of a fetch (its key, the caller it verified; features/identity/).
 */
import type { SubgraphCall, SubgraphFetchWrapper } from './chain';

/** Signs the caller of one fetch for its subgraph (`call.subgraph`); resolves with the token. */
export type CallSigner = (call: SubgraphCall) => Promise<string>;

export function signCalls(header: string, sign: CallSigner): SubgraphFetchWrapper {
  return async (call, next) => {
    call.request.headers.set(header, await sign(call));
    return next(call);
  };
}
