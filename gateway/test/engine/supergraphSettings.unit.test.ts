/** The reload settings (gateway/config/): defaults, validation, and the combinations refused. */
import { generateKeyPairSync } from 'node:crypto';
import { generateGatewayKeys } from '../../../common/identity';
import { defaultConfig } from '../support/config';

const ED25519_PUBLIC = generateGatewayKeys().publicKey;
const EC_PUBLIC = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ format: 'der', type: 'spki' })
  .toString('base64');

test('defaults: a file read once; a URL polled every 10 s with a 10 s timeout', () => {
  expect(defaultConfig({}).supergraph).toEqual({
    watch: 'off',
    pollIntervalMs: 10_000,
    timeoutMs: 10_000,
  });
  expect(
    defaultConfig({
      SUPERGRAPH_URL: 'https://registry.example.vn/supergraph.graphql',
      GATEWAY_SUPERGRAPH_POLL_INTERVAL: '2500',
      GATEWAY_SUPERGRAPH_TIMEOUT: '1000',
    }).supergraph,
  ).toEqual({
    url: 'https://registry.example.vn/supergraph.graphql',
    watch: 'off',
    pollIntervalMs: 2500,
    timeoutMs: 1000,
  });
  expect(defaultConfig({ GATEWAY_SUPERGRAPH_WATCH: 'WATCH' }).supergraph.watch).toBe('watch');
  expect(
    defaultConfig({ SUPERGRAPH_URL: 'http://registry:4400/x', GATEWAY_SUPERGRAPH_PUBLIC_KEY: ED25519_PUBLIC })
      .supergraph.publicKey,
  ).toBe(ED25519_PUBLIC);
});

test('bad values and conflicting sources are refused, naming the setting', () => {
  const refused: [Record<string, string>, string[], RegExp][] = [
    [{ GATEWAY_SUPERGRAPH_WATCH: 'yes' }, [], /^GATEWAY_SUPERGRAPH_WATCH: must be one of off, watch, poll/],
    [
      { GATEWAY_SUPERGRAPH_POLL_INTERVAL: '50' },
      [],
      /^GATEWAY_SUPERGRAPH_POLL_INTERVAL: must be an integer from 100/,
    ],
    [{ GATEWAY_SUPERGRAPH_TIMEOUT: 'soon' }, [], /^GATEWAY_SUPERGRAPH_TIMEOUT: must be an integer/],
    [{ SUPERGRAPH_URL: 'ftp://x/y' }, [], /^SUPERGRAPH_URL: must be an http\(s\) URL/],
    [
      { SUPERGRAPH_URL: 'http://x/y', SUPERGRAPH_PATH: 'a.graphql' },
      [],
      /^SUPERGRAPH_URL: set it or SUPERGRAPH_PATH \/ --supergraph, not both/,
    ],
    [{ SUPERGRAPH_URL: 'http://x/y' }, ['--supergraph', 'a.graphql'], /^SUPERGRAPH_URL: set it or/],
    [
      { GATEWAY_SUPERGRAPH_PUBLIC_KEY: ED25519_PUBLIC },
      [],
      /^GATEWAY_SUPERGRAPH_PUBLIC_KEY: verifies the signed supergraph of SUPERGRAPH_URL/,
    ],
    [
      { SUPERGRAPH_URL: 'http://x/y', GATEWAY_SUPERGRAPH_PUBLIC_KEY: 'not a key' },
      [],
      /^GATEWAY_SUPERGRAPH_PUBLIC_KEY: must be an Ed25519 public key/,
    ],
    [
      { SUPERGRAPH_URL: 'http://x/y', GATEWAY_SUPERGRAPH_PUBLIC_KEY: EC_PUBLIC },
      [],
      /^GATEWAY_SUPERGRAPH_PUBLIC_KEY: must be an Ed25519 public key .*not an Ed25519 public key/,
    ],
    [
      { SUPERGRAPH_URL: 'http://x/y', GATEWAY_SUPERGRAPH_WATCH: 'poll' },
      [],
      /^GATEWAY_SUPERGRAPH_WATCH: watches a supergraph file; SUPERGRAPH_URL is polled/,
    ],
  ];
  for (const [env, argv, message] of refused) expect(() => defaultConfig(env, argv)).toThrow(message);
});
