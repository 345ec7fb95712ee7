/**
 * One HTTP GET to an existing system, as a connector makes it: the source's base URL and headers, its
 * timeout, and every way it can fail mapped to a stable client-facing code (schema/error-codes.ts):
 *
 * | what happened                                   | code                  |
 * | ----------------------------------------------- | --------------------- |
 * | connection refused / reset, DNS, 502/503/504    | `SERVICE_UNAVAILABLE` |
 * | no answer within the source's `timeoutMs`       | `UPSTREAM_TIMEOUT`    |
 * | another 5xx, a 401/403 (our credentials), a 4xx | `BAD_GATEWAY`         |
 * | a body that is not JSON, or over `maxBytes`     | `BAD_GATEWAY`         |
 * | 404                                             | null (no record)      |
 *
 * The message names the source, never the system's own error text (it may hold anything).
 */
import { AppError, ErrorCode } from '../runtime/errors';

export interface Source {
  readonly name: string;
  readonly baseURL: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The largest answer read, in bytes; a larger one is BAD_GATEWAY (default MAX_RESPONSE_BYTES). */
  readonly maxBytes?: number;
}

/** 5 MB: a legacy answer larger than this is refused rather than held in memory. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

class TooLarge extends Error {}

/** The body as text, refused past `max` bytes without reading the rest. */
async function readBody(res: Response, max: number): Promise<string> {
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body?.cancel();
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > max) {
      await reader!.cancel();
      throw new TooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const NOT_FOUND = Symbol('not found');
export type Fetched = unknown;
export const isMissing = (v: unknown): v is typeof NOT_FOUND => v === NOT_FOUND;

const unavailable = (source: Source, why: string): AppError =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, `The existing system "${source.name}" is unavailable (${why})`);
const badGateway = (source: Source, why: string): AppError =>
  new AppError(
    ErrorCode.BAD_GATEWAY,
    `The existing system "${source.name}" gave an unusable answer (${why})`,
  );

/** GET `pathAndQuery` from the source: its JSON, the NOT_FOUND marker for a 404, or a catalogued error. */
export async function getJson(source: Source, pathAndQuery: string, signal?: AbortSignal): Promise<unknown> {
  const url = source.baseURL.replace(/\/$/, '') + pathAndQuery;
  const timeout = AbortSignal.timeout(source.timeoutMs);
  let res: Response;
  let body: string;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...source.headers },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    body = await readBody(res, source.maxBytes ?? MAX_RESPONSE_BYTES);
  } catch (err) {
    if (err instanceof TooLarge)
      throw badGateway(source, `the answer is over ${source.maxBytes ?? MAX_RESPONSE_BYTES} bytes`);
    if (timeout.aborted)
      throw new AppError(
        ErrorCode.UPSTREAM_TIMEOUT,
        `The existing system "${source.name}" did not answer within ${source.timeoutMs} ms`,
      );
    throw unavailable(
      source,
      ((err as Error).cause as { code?: string } | undefined)?.code ?? 'no connection',
    );
  }
  if (res.status === 404) return NOT_FOUND;
  if (res.status === 502 || res.status === 503 || res.status === 504)
    throw unavailable(source, `HTTP ${res.status}`);
  if (res.status < 200 || res.status > 299) throw badGateway(source, `HTTP ${res.status}`);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw badGateway(source, 'the body is not JSON');
  }
}

export { badGateway };
