/**
 * Contracts from the schema registry (`GATEWAY_CONTRACTS=<registry>/v1/environments/<env>/contracts`,
 * docs/contracts.md): fetched with `GATEWAY_CONTRACTS_TOKEN` before the gateway starts, then polled
 * every `GATEWAY_SUPERGRAPH_POLL_INTERVAL` ms with If-None-Match. Every document must carry the
 * registry's signature (`x-govgraph-signature`, verified with `GATEWAY_SUPERGRAPH_PUBLIC_KEY` as the
 * supergraph's is). A document that is unsigned, tampered or cannot be applied (not contracts, or a
 * contract that leaves no Query field on the serving supergraph) is refused: at start the gateway does
 * not start; while polling it is logged at `error` once per document, counted (`/ready`'s
 * `contracts.refusals`) and the contracts serving keep serving. A poll that fails (unreachable,
 * non-2xx) keeps them too: logged at `warn` once per outage.
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SIGNATURE_HEADER, supergraphSignatureProblem } from '../../../common/supergraphSignature';
import type { GatewayLogger } from '../../context';

export interface ContractsStatus {
  /** sha256 (hex) of the document serving. */
  readonly hash: string | undefined;
  readonly since: string | undefined;
  readonly reloads: number;
  readonly refusals: number;
  readonly lastRefused?: { readonly hash: string; readonly at: string };
}

export interface RegistryContractsOptions {
  url: string;
  token: string;
  publicKey: KeyObject;
  intervalMs: number;
  timeoutMs: number;
  logger: GatewayLogger;
  /** Takes a verified document (its text); throws a one-line reason to refuse it. */
  apply: (text: string) => void;
}

export interface RegistryContracts {
  /** The first document; rejects with a one-line reason (then nothing serves). */
  load(): Promise<void>;
  stop(): void;
  status(): ContractsStatus;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** The URL without its query string: safe to log. */
const describe = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

class Refused extends Error {
  constructor(
    readonly hash: string,
    reason: string,
  ) {
    super(reason);
  }
}

export function registryContracts(options: RegistryContractsOptions): RegistryContracts {
  const { logger } = options;
  const source = describe(options.url);
  let etag: string | undefined;
  let status: ContractsStatus = { hash: undefined, since: undefined, reloads: 0, refusals: 0 };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;
  let refusedHash: string | undefined;

  /** One GET: false on 304, true when a new document was applied. Throws Refused or a reason. */
  const fetchOnce = async (): Promise<boolean> => {
    let response: Response;
    try {
      response = await fetch(options.url, {
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${options.token}`,
          ...(etag && { 'if-none-match': etag }),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(`${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    }
    if (response.status === 304) return false;
    const text = await response.text();
    if (!response.ok) {
      let code = '';
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
      } catch {
        // not the registry's JSON error
      }
      throw new Error(`HTTP ${response.status}${code ? ` ${code}` : ''}`);
    }
    const hash = sha256(text);
    if (hash === status.hash) {
      etag = response.headers.get('etag') ?? undefined;
      return false;
    }
    const problem = supergraphSignatureProblem(
      text,
      response.headers.get(SIGNATURE_HEADER),
      options.publicKey,
    );
    if (problem !== null) throw new Refused(hash, problem);
    try {
      options.apply(text);
    } catch (error) {
      throw new Refused(hash, (error as Error).message);
    }
    // Only an applied document's ETag is kept: a refused one is fetched again at the next poll.
    etag = response.headers.get('etag') ?? undefined;
    const first = status.hash === undefined;
    status = {
      ...status,
      hash,
      since: new Date().toISOString(),
      reloads: first ? status.reloads : status.reloads + 1,
    };
    if (!first) logger.info({ contracts: hash, source }, 'contracts reloaded');
    return true;
  };

  const poll = async () => {
    try {
      await fetchOnce();
      if (failing) logger.info({ source }, 'contracts URL answers again');
      failing = false;
    } catch (error) {
      if (stopped) return;
      if (error instanceof Refused) {
        failing = false;
        if (error.hash === refusedHash) return;
        refusedHash = error.hash;
        status = {
          ...status,
          refusals: status.refusals + 1,
          lastRefused: { hash: error.hash, at: new Date().toISOString() },
        };
        logger.error(
          { contracts: error.hash, current: status.hash, source, reason: error.message },
          'contracts refused; the current ones keep serving',
        );
        return;
      }
      if (!failing)
        logger.warn(
          { source, reason: (error as Error).message },
          'cannot fetch the contracts; keeping the current ones',
        );
      failing = true;
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll().finally(schedule), options.intervalMs);
    timer.unref();
  };

  return {
    async load() {
      try {
        await fetchOnce();
      } catch (error) {
        const what = error instanceof Refused ? `refused (${error.hash}): ` : 'cannot fetch: ';
        throw new Error(`the contracts at ${source} ${what}${(error as Error).message}`);
      }
      schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    status: () => status,
  };
}
