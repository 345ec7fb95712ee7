/**
 * The security regression suites' stack and probes (test/security-requests.int.test.ts,
 * test/security-identity.int.test.ts): every registered subgraph behind the gateway over real HTTP,
 * trusting a test identity provider; tokens of each role, hostile ones, and `refused`, which checks
 * the status, the `extensions.code` and that nothing leaks (no stack, no internal URL or address, no data).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { startFederatedStack } from './subgraphs';
import type { FederatedStack } from './subgraphs';

const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** A key the gateway does not trust. */
export const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const PUBLIC_PEM = idp.publicKey.export({ format: 'pem', type: 'spki' }).toString();
export const AGENCY = '000.00.21.H26';

let current: FederatedStack | undefined;

/** Starts the stack before the file's tests and closes it after; the getter is the running stack. */
export function useSecurityStack(): () => FederatedStack {
  jest.setTimeout(120_000);
  beforeAll(async () => {
    current = await startFederatedStack({
      scale: 0.02,
      gatewayEnv: { GATEWAY_JWT_PUBLIC_KEY: PUBLIC_PEM, GATEWAY_JWT_ISSUER: 'https://idp.test' },
    });
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => current!;
}

export const now = () => Math.floor(Date.now() / 1000);

export function token(
  claims: Record<string, unknown>,
  o: { key?: KeyObject; aud?: string; iss?: string; exp?: number; nbf?: number } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(String(claims.sub ?? 'u-1'))
    .setIssuer(o.iss ?? 'https://idp.test')
    .setAudience(o.aud ?? 'govgraph')
    .setIssuedAt()
    .setExpirationTime(o.exp ?? now() + 600);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? idp.privateKey);
}

export const as = {
  citizen: () => token({ role: 'citizen', citizen_id: '001085012345' }),
  official: () => token({ role: 'official', agency: AGENCY }),
  analyst: () => token({ role: 'analyst' }),
  partner: () => token({ role: 'partner', agency: AGENCY, scope: 'documents:read' }),
  admin: () => token({ role: 'admin' }),
};

export interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function send(init: RequestInit & { url?: string; search?: string }): Promise<Answer> {
  const res = await fetch((init.url ?? current!.url) + (init.search ?? ''), init);
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // asserted by the caller through `text`
  }
  return { status: res.status, text, body };
}

/**
 * POSTs like Apollo Client (`accept: application/graphql-response+json`), whose request errors are
 * 4xx. A client that accepts only `application/json` gets the same errors with 200 (GraphQL over
 * HTTP; gateway/httpStatus.ts), asserted in gateway/test/httpEdge.int.test.ts.
 */
export function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const bearer = async (t: string | Promise<string>) => ({ authorization: `Bearer ${await t}` });

/** The status, the first error's code, and no stack, internal address or data in the answer. */
export function refused(a: Answer, status: number, code: string): void {
  expect(a.status).toBe(status);
  expect(a.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(a.body.data ?? null).toBeNull();
  expect(a.text).not.toMatch(/stacktrace|\bat .+:\d+:\d+|127\.0\.0\.1|localhost|https?:\/\/(?!idp\.test)/i);
}

export const nest = (depth: number) =>
  `{ agency(code: "${AGENCY}") { ${'parent { '.repeat(depth)}name${' }'.repeat(depth)} name } }`;
