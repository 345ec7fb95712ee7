/**
 * Subgraph errors in the client's response: an entity fetch's `_entities.i` error is mapped back to
 * the path of the entity it concerns, any other error to the fetch's path; codes and messages are
 * kept as @apollo/gateway keeps them, with `serviceName` added.
 */
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { FetchNode } from '@apollo/query-planner';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

type Data = Record<string, unknown>;
export type Path = (string | number)[];

/** Where a plan node runs: its path in the response, its data there and the whole result. */
export interface Cursor {
  path: Path;
  data: unknown;
  fullResult: Data;
}

/** Where a subgraph error belongs in the client's response: entity errors map `_entities.i` back. */
export function lazyErrorPath(
  fetch: FetchNode,
  cursor: Cursor,
): (path: readonly (string | number)[] | undefined) => Path | undefined {
  let hydrated: Path[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        hydratePaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

function hydratePaths(parent: Path, path: Path, data: unknown, result: Path[]): void {
  if (data === null || data === undefined) return;
  const head = path[0];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@') {
    (data as unknown[]).forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (Array.isArray(data)) {
    data.forEach((value, i) => {
      parent.push(i);
      hydratePaths(parent, path, value, result);
      parent.pop();
    });
  } else if (Object.prototype.hasOwnProperty.call(data, head)) {
    parent.push(head);
    hydratePaths(parent, path.slice(1), (data as Data)[head as string], result);
    parent.pop();
  }
}

export function downstreamError(
  original: GraphQLFormattedError,
  serviceName: string,
  errorPath: (path: readonly (string | number)[] | undefined) => Path | undefined,
): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path: errorPath(original.path),
    extensions: { ...original.extensions, serviceName },
  };
  const code = errorCodeDef(original);
  if (!code && original.extensions?.code) return new GraphQLError(message, options);
  return (code ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
