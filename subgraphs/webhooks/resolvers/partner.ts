/** Who may manage webhooks, and what a partner may register (docs/webhooks.md "Registering"). */
import { AppError, ErrorCode, badInput } from '../../../kit';
import { EVENT_SCOPES, isKnownEventType } from '../eventTypes';
import type { Ctx } from './context';

/** The calling partner agency's code; UNAUTHENTICATED for anonymous callers, FORBIDDEN for other roles. */
export function partnerAgency(ctx: Ctx): string {
  const c = ctx.caller;
  if (c.role === 'anonymous')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in as a partner agency to manage webhooks');
  if (c.role !== 'partner' || !c.agencyCode)
    throw new AppError(
      ErrorCode.FORBIDDEN,
      'Only a partner agency (role partner, with its agency) manages webhooks',
    );
  return c.agencyCode;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The endpoint's URL, checked: https, or http to the loopback outside production (tests, development). */
export function checkUrl(raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badInput('input.url', 'Not a URL');
  }
  if (url.username || url.password) throw badInput('input.url', 'A URL with credentials is refused');
  if (url.hash) throw badInput('input.url', 'A URL with a fragment (#) is refused');
  if (url.href.length > 2_000) throw badInput('input.url', 'At most 2000 characters');
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && !production && LOOPBACK.has(url.hostname)) return url.href;
  throw badInput(
    'input.url',
    production
      ? 'An https:// URL is required'
      : 'An https:// URL is required (http:// only to 127.0.0.1 or localhost outside production)',
  );
}

/** The event types, each within the caller's scopes (FORBIDDEN naming the scope it lacks). */
export function checkEventTypes(types: readonly string[], scopes: readonly string[]): string[] {
  if (!types.length) throw badInput('input.eventTypes', 'Name at least one event type');
  const unique = [...new Set(types)];
  for (const t of unique) {
    if (!isKnownEventType(t)) throw badInput('input.eventTypes', `Unknown event type ${t}`);
    const scope = EVENT_SCOPES[t];
    if (!scopes.includes(scope))
      throw new AppError(ErrorCode.FORBIDDEN, `Receiving ${t} needs the scope ${scope}`, {
        field: 'input.eventTypes',
        scope,
      });
  }
  return unique;
}
