/**
 * Rate limiting at the gateway, over real HTTP with the fixture subgraphs: 429 RATE_LIMITED per
 * client IP (before any token is verified) and per verified subject. Shared budgets across replicas
 * through Redis: rateLimit.services.test.ts.
 */
import { useGatewayStack } from './support/gatewayStack';
import { pair, token } from './support/tokens';

const stack = useGatewayStack({ startGateway: false });
const startGateway = async (env: Record<string, string>) => (await stack.startGateway(env)).url;

async function ask(url: string, bearer?: string, query = '{ topProducts { upc } }') {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, headers: res.headers, body, code: body.errors?.[0]?.extensions?.code };
}

describe('rate limiting', () => {
  test('per client IP: over the limit → 429 RATE_LIMITED with Retry-After, nothing executed', async () => {
    const url = await startGateway({ GATEWAY_RATE_LIMIT_PER_IP: '3' });
    for (let i = 0; i < 3; i++) expect((await ask(url)).status).toBe(200);
    const r = await ask(url);
    expect([r.status, r.code, r.body.data ?? null]).toEqual([429, 'RATE_LIMITED', null]);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  test('finding 8: a burst of invalid tokens is counted per IP before verification: 401s, then 429', async () => {
    const idp = pair();
    const url = await startGateway({
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      GATEWAY_RATE_LIMIT_PER_IP: '5',
    });
    const forged = await token('k', pair().privateKey, { role: 'admin', sub: 'attacker' });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) codes.push((await ask(url, forged)).code);
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), ...Array(3).fill('RATE_LIMITED')]);
    // The same IP with a valid token is limited too: the budget is the IP's, whatever the token.
    const valid = await token('k', idp.privateKey, { role: 'analyst', sub: 'u-1' });
    expect((await ask(url, valid)).status).toBe(429);
  });

  test('per subject: one subject is limited, another is not', async () => {
    const idp = pair();
    const url = await startGateway({
      GATEWAY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      GATEWAY_RATE_LIMIT_PER_SUBJECT: '2',
    });
    const alice = await token('k', idp.privateKey, { role: 'analyst', sub: 'alice' });
    const bob = await token('k', idp.privateKey, { role: 'analyst', sub: 'bob' });
    expect((await ask(url, alice)).status).toBe(200);
    expect((await ask(url, alice)).status).toBe(200);
    expect((await ask(url, alice)).code).toBe('RATE_LIMITED');
    expect((await ask(url, bob)).status).toBe(200);
  });
});
