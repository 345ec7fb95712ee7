/** The delivery worker's pure parts: settings, stream entries, backoff, signatures, URL and scope checks. */
import { generateKeyPairSync } from 'node:crypto';
import { parseEntry } from '../delivery/consumer';
import { backoffMs } from '../delivery/sender';
import { deliverySettings } from '../delivery/settings';
import { signingKeyFor } from '../delivery/start';
import { generateSigningKey, signDelivery, signingKeyFromPem, verifyDelivery } from '../delivery/signing';
import { checkEventTypes, checkUrl } from '../resolvers/partner';

describe('settings', () => {
  test('off without WEBHOOKS_REDIS_URL; defaults otherwise', () => {
    expect(deliverySettings({})).toBeNull();
    expect(deliverySettings({ WEBHOOKS_REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      stream: 'govgraph:events',
      group: 'webhooks',
      maxAttempts: 8,
      signingKey: undefined,
    });
    expect(() =>
      deliverySettings({ WEBHOOKS_REDIS_URL: 'redis://127.0.0.1:6379', WEBHOOKS_MAX_ATTEMPTS: '0' }),
    ).toThrow(/WEBHOOKS_MAX_ATTEMPTS/);
  });
});

test('a stream entry becomes an event only when it is a deliverable envelope', () => {
  const e = {
    id: '5b0e6f0c-1d7e-4a57-9d7f-3f8f0a0c2b11',
    type: 'DocumentReceived',
    recordedAt: '2026-12-06T02:51:10.482Z',
    agencyPath: ['a', 'b'],
  };
  const fields = (v: object) => ['id', 'x', 'type', 'y', 'event', JSON.stringify(v)];
  expect(parseEntry(fields(e))).toMatchObject({
    id: e.id,
    scope: 'documents:read',
    agencyPath: ['a', 'b'],
    body: JSON.stringify(e),
  });
  expect(parseEntry(fields({ ...e, type: 'SomethingElse' }))).toBeNull();
  // Personal data: the citizens' ID numbers are masked in what a partner receives.
  const masked = JSON.parse(parseEntry(fields({ ...e, citizenIds: ['026090000123'] }))!.body);
  expect(masked).toEqual({ ...e, citizenIds: ['*********123'] });
  expect(parseEntry(fields({ ...e, id: 'not-a-uuid' }))).toBeNull();
  expect(parseEntry(fields({ ...e, agencyPath: 'a' }))).toBeNull();
  expect(parseEntry(['event', '{not json'])).toBeNull();
  expect(parseEntry(['id', e.id])).toBeNull();
});

test('backoff grows exponentially, with jitter, up to its cap', () => {
  for (let i = 0; i < 200; i++) {
    const [a1, a3, a20] = [
      backoffMs(1, 1000, 60_000),
      backoffMs(3, 1000, 60_000),
      backoffMs(20, 1000, 60_000),
    ];
    expect(a1).toBeGreaterThanOrEqual(500);
    expect(a1).toBeLessThan(1000);
    expect(a3).toBeGreaterThanOrEqual(2000);
    expect(a3).toBeLessThan(4000);
    expect(a20).toBeGreaterThanOrEqual(30_000);
    expect(a20).toBeLessThan(60_000);
  }
  expect(new Set(Array.from({ length: 50 }, () => backoffMs(5, 1000, 60_000))).size).toBeGreaterThan(1);
});

test('a signature verifies with the published key, and not after any change', () => {
  const key = generateSigningKey();
  const body = '{"id":"x","type":"DossierStatusChanged"}';
  const sig = signDelivery(key, 1765000000, body);
  expect(verifyDelivery(key.publicKeyPem, '1765000000', body, sig)).toBe(true);
  expect(verifyDelivery(key.publicKeyPem, '1765000001', body, sig)).toBe(false);
  expect(verifyDelivery(key.publicKeyPem, '1765000000', body.replace('x', 'y'), sig)).toBe(false);
  expect(verifyDelivery(generateSigningKey().publicKeyPem, '1765000000', body, sig)).toBe(false);
  expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  expect(() => signingKeyFromPem('nonsense')).toThrow('not a PEM private key');
});

test('URLs: https, or http to the loopback outside production', () => {
  expect(checkUrl('https://partner.example/hook', true)).toBe('https://partner.example/hook');
  expect(checkUrl('http://127.0.0.1:9000/h', false)).toBe('http://127.0.0.1:9000/h');
  expect(() => checkUrl('http://127.0.0.1:9000/h', true)).toThrow('An https:// URL is required');
  expect(() => checkUrl('http://partner.example/hook', false)).toThrow(/https:\/\/ URL is required/);
  expect(() => checkUrl('https://u:p@partner.example/', false)).toThrow(/credentials/);
  expect(() => checkUrl('ftp://partner.example/', false)).toThrow(/https/);
});

test('event types within the scopes only', () => {
  expect(checkEventTypes(['DossierStatusChanged', 'DossierStatusChanged'], ['dossiers:read'])).toEqual([
    'DossierStatusChanged',
  ]);
  expect(() => checkEventTypes(['LandChangeRegistered'], ['dossiers:read'])).toThrow(
    'Receiving LandChangeRegistered needs the scope land:read',
  );
  expect(() => checkEventTypes([], ['dossiers:read'])).toThrow(/at least one/);
});

test('the signing key: required in production, a fresh one elsewhere (with a warning), refused when not Ed25519', () => {
  const s = deliverySettings({ WEBHOOKS_REDIS_URL: 'redis://127.0.0.1:6379' })!;
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m) } as unknown as Parameters<typeof signingKeyFor>[2];
  expect(() => signingKeyFor(s, true, log)).toThrow('WEBHOOKS_SIGNING_KEY: required in production');
  expect(signingKeyFor(s, false, log).keyId).toMatch(/^[0-9a-f]{16}$/);
  expect(warnings).toEqual([expect.stringMatching(/not set: deliveries are signed with a key generated/)]);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  });
  expect(() => signingKeyFor({ ...s, signingKey: rsa.toString() }, true, log)).toThrow(
    'WEBHOOKS_SIGNING_KEY: an Ed25519 key is needed, got rsa',
  );
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // One line in an env file: newlines written as \n.
  expect(signingKeyFor({ ...s, signingKey: pem.replace(/\n/g, '\\n') }, true, log).keyId).toBe(
    signingKeyFromPem(pem).keyId,
  );
});
