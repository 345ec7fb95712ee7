/**
 * CORS at the gateway (GATEWAY_CORS_ORIGINS), over real HTTP with the fixture subgraphs: an allowed
 * origin gets the headers and a preflight, any other gets neither.
 */
import { defaultConfig } from './support/config';
import { useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack({ startGateway: false });
const startGateway = async (env: Record<string, string>) => (await stack.startGateway(env)).url;

describe('CORS', () => {
  test('an allowed origin gets CORS headers and a preflight; any other gets neither', async () => {
    const url = await startGateway({ GATEWAY_CORS_ORIGINS: 'https://portal.example.vn' });
    const preflight = (origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight('https://portal.example.vn');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.example.vn');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const post = (origin: string) =>
      fetch(url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    expect((await post('https://portal.example.vn')).headers.get('access-control-allow-origin')).toBe(
      'https://portal.example.vn',
    );
    expect((await post('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a bad origin in GATEWAY_CORS_ORIGINS is a start-up error naming the setting', () => {
    expect(() => defaultConfig({ GATEWAY_CORS_ORIGINS: 'portal.example.vn' })).toThrow(
      /^GATEWAY_CORS_ORIGINS:/,
    );
  });
});
