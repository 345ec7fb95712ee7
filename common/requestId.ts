/**
 * Request ids. The gateway gives every request an id of its own (a UUID), returns it in
 * `x-request-id`, logs it and forwards it to each subgraph, which records it (logs, audit entries).
 * A client's own `x-request-id` is never that id: it is kept apart as the client request id —
 * sanitised, length-limited — logged as `clientRequestId` and forwarded as `x-client-request-id`, so
 * a client can still find its request in the logs but cannot choose what the audit log records.
 *
 * Neutral code: the gateway and the kit both import it.
 */
import { randomUUID } from 'node:crypto';

/** The header the gateway forwards the client's own request id in. */
export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';
/** The longest client request id kept; longer ones are cut. */
export const CLIENT_REQUEST_ID_MAX_LENGTH = 128;

/** What a request id (the gateway's, as a subgraph receives it) may look like. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
/** Characters kept in a client request id: printable ASCII without spaces, quotes, `<>`, `\` or `` ` ``. */
const UNSAFE = /[^\x21-\x7e]|["'<>\\`]/g;

/** A new request id. */
export const newRequestId = (): string => randomUUID();

/**
 * The client's `x-request-id` made safe to log and forward: characters outside the kept set removed,
 * cut to CLIENT_REQUEST_ID_MAX_LENGTH; undefined when nothing is left (or no header).
 */
export function clientRequestIdFrom(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (typeof raw !== 'string') return undefined;
  const kept = raw.slice(0, 4 * CLIENT_REQUEST_ID_MAX_LENGTH).replace(UNSAFE, '');
  return kept === '' ? undefined : kept.slice(0, CLIENT_REQUEST_ID_MAX_LENGTH);
}

/**
 * A subgraph's request id: the gateway's `x-request-id` when it has a request id's shape, else a new
 * one. (Requests without a caller token the gateway signed are refused before anything runs, so the
 * header a subgraph records comes from the gateway.)
 */
export function forwardedRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : newRequestId();
}
