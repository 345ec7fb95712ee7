/**
 * Peer lookups: a subgraph checking a write asks another subgraph (its peer) about the records the
 * write names — land asks dossiers whether the dossier that decides a land change exists, is a land
 * procedure of the acting agency and is resolved. Subgraphs never import each other and have separate
 * databases, so the only way to know is to ask, over HTTP, the way the gateway does.
 *
 * The request goes out as the same caller: the gateway sent, with the request being served, one
 * delegation token per peer the subgraph declared (schema/registry.json `peers`; common/identity.ts
 * "Delegation"). The token is verified here first (the address it carries is the gateway's, never a
 * client's), then sent to the peer as its caller token: the peer applies its own row-level access (an
 * official can confirm only what they may read) and sees who asked (`Caller.actor`); it refuses
 * mutations from a delegated caller. Everything a peer says comes back as data; when a peer cannot be
 * asked (no delegation, unreachable, timeout, not GraphQL) the lookup throws DOWNSTREAM_SERVICE_ERROR
 * naming the peer, so a write that needed the answer writes nothing.
 *
 * Batch: `entities` asks for every key of one type in one `_entities` request; a mutation makes one
 * request per peer it needs.
 */
import { CALLER_HEADER, CallerTokenError, parsePeersHeader } from '../../common/identity';
import { AppError, ErrorCode } from './errors';

/** What a peer said about one record, or about the whole request. */
export interface PeerError {
  /** The peer's `extensions.code` (e.g. FORBIDDEN), INTERNAL_SERVER_ERROR when it gave none. */
  readonly code: string;
  readonly message: string;
  /** The error's path in the peer's answer (e.g. `['_entities', 0]`). */
  readonly path: readonly (string | number)[];
}

/** One record looked up: its fields as selected, or null, and the errors the peer gave for it. */
export interface PeerEntity<T> {
  readonly value: T | null;
  readonly errors: readonly PeerError[];
}

export interface Peers {
  /** The peers the gateway delegated this request to (the subgraph's declared peers). */
  readonly names: readonly string[];
  /**
   * Runs one GraphQL operation on `peer` as the caller. Resolves to the answer (data and errors);
   * rejects with DOWNSTREAM_SERVICE_ERROR when the peer cannot be asked.
   */
  query<T>(
    peer: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: T | null; errors: readonly PeerError[] }>;
  /**
   * Looks up records of `typename` by key in one `_entities` request, e.g.
   * `entities('dossiers', 'Dossier', [{ code }], 'code status agency { code }')`; results in key order.
   */
  entities<T>(
    peer: string,
    typename: string,
    keys: readonly Record<string, unknown>[],
    selection: string,
  ): Promise<PeerEntity<T>[]>;
}

export interface PeersOptions {
  /** This subgraph's name: the actor its delegation tokens must name. */
  readonly self: string;
  /** The `x-govgraph-peers` header of the request being served. */
  readonly header: string | undefined;
  /** Verifies a delegation token for `peer`, resolving to the peer's address (createDelegationVerifier). */
  readonly verify: ((peer: string, token: string) => Promise<string>) | undefined;
  /** Sent as `x-request-id`, so the peer's log and audit entries carry the same request. */
  readonly requestId: string;
  /** Per request to a peer, ms. */
  readonly timeoutMs: number;
}

/** Answers about the caller or the records, not failures of the peer. */
const REFUSALS = new Set<string>([
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.NOT_FOUND,
  ErrorCode.BAD_USER_INPUT,
]);

const unavailable = (peer: string, why: string): AppError =>
  new AppError(ErrorCode.DOWNSTREAM_SERVICE_ERROR, `Could not check with the ${peer} system: ${why}`);

function peerErrors(raw: unknown): PeerError[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((e: { message?: unknown; extensions?: { code?: unknown }; path?: unknown }) => ({
    code: typeof e?.extensions?.code === 'string' ? e.extensions.code : ErrorCode.INTERNAL_SERVER_ERROR,
    message: typeof e?.message === 'string' ? e.message : '',
    // List indices as numbers (a peer may give `"1"`).
    path: Array.isArray(e?.path)
      ? (e.path as unknown[]).map((p) => (typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : String(p)))
      : [],
  }));
}

export function createPeers(opts: PeersOptions): Peers {
  // Read on first use: a request that checks nothing (every read) pays nothing.
  let parsed: Map<string, string> | undefined;
  const tokens = (): Map<string, string> => (parsed ??= parsePeersHeader(opts.header));
  const query: Peers['query'] = async (peer, document, variables = {}) => {
    const token = tokens().get(peer);
    if (!token || !opts.verify) throw unavailable(peer, 'the gateway gave no delegation for it');
    let url: string;
    try {
      url = await opts.verify(peer, token);
    } catch (err) {
      if (err instanceof CallerTokenError) throw unavailable(peer, 'the delegation is not valid');
      throw err;
    }
    let body: unknown;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLER_HEADER]: token,
          'x-request-id': opts.requestId,
        },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (!res.ok) throw unavailable(peer, `it answered HTTP ${res.status}`);
      body = await res.json();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const name = (err as Error).name;
      throw unavailable(
        peer,
        name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : 'unreachable',
      );
    }
    if (typeof body !== 'object' || body === null || !('data' in body || 'errors' in body))
      throw unavailable(peer, 'it did not answer GraphQL');
    const { data, errors } = body as { data?: unknown; errors?: unknown };
    return { data: (data ?? null) as never, errors: peerErrors(errors) };
  };
  return {
    get names() {
      return [...tokens().keys()];
    },
    query,
    async entities<T>(
      peer: string,
      typename: string,
      keys: readonly Record<string, unknown>[],
      selection: string,
    ): Promise<PeerEntity<T>[]> {
      if (!keys.length) return [];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(typename)) throw new Error(`not a type name: ${typename}`);
      const { data, errors } = await query<{ _entities?: (T | null)[] }>(
        peer,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`,
        { representations: keys.map((k) => ({ __typename: typename, ...k })) },
      );
      const whole = errors.filter((e) => e.path[0] !== '_entities' || typeof e.path[1] !== 'number');
      if (!data?._entities) {
        // The peer refused the caller outright (a reference resolver that throws at once fails the
        // whole list): every record gets that answer. Anything else (a selection the peer does not
        // have, an internal error): nothing is known.
        if (errors.length && errors.every((e) => REFUSALS.has(e.code)))
          return keys.map(() => ({ value: null, errors }));
        const first = errors[0];
        throw unavailable(peer, first ? `${first.code}: ${first.message}` : 'no entities in its answer');
      }
      return keys.map((_, i) => ({
        value: data._entities![i] ?? null,
        errors: [...whole, ...errors.filter((e) => e.path[0] === '_entities' && e.path[1] === i)],
      }));
    },
  };
}
