/**
 * The registry's settings, all from the environment (docs/registry.md "Configuration"). The token
 * settings mirror the gateway's GATEWAY_JWT_* ones: point both at the same identity provider.
 */
import { ConfigError, env, readEnv, rejectUnknown } from '../common/env';
import type { Env } from '../common/env';
import { importSupergraphPrivateKey } from '../common/supergraphSignature';
import { createTokenVerifier, jwtSettings } from '../gateway/features/identity/token';
import type { TokenSettings } from '../gateway/features/identity/token';

const SHAPE = {
  REGISTRY_PORT: env.port().default(4400),
  REGISTRY_HOST: env.text().default('127.0.0.1'),
  REGISTRY_DATABASE_URL: env.postgresUrl(),
  /** Ed25519 private key (PEM or base64 PKCS#8) every supergraph is signed with. */
  REGISTRY_SIGNING_KEY: env.text(),
  ...jwtSettings('REGISTRY_'),
  REGISTRY_LOG_LEVEL: env.logLevel().default('info'),
  /** On: a breaking change fails a check only when a client used it in the window (usage.ts). */
  REGISTRY_USAGE_CHECKS: env.boolean().default(false),
  REGISTRY_USAGE_WINDOW_DAYS: env.integer(1, 365).default(30),
  REGISTRY_USAGE_RETENTION_DAYS: env.integer(1, 3650).default(90),
};

export interface RegistryConfig {
  port: number;
  host: string;
  databaseUrl: string;
  signingKey: string;
  /** REGISTRY_JWT_*: the client tokens' issuer, audience, algorithms, skew, JWKS URL or key. */
  tokens: TokenSettings;
  logLevel: string;
  usageChecks: boolean;
  usageWindowDays: number;
  usageRetentionDays: number;
}

export function loadRegistryConfig(source: Env): RegistryConfig {
  rejectUnknown(source, 'REGISTRY_', Object.keys(SHAPE));
  const s = readEnv(source, SHAPE);
  if (s.REGISTRY_USAGE_WINDOW_DAYS > s.REGISTRY_USAGE_RETENTION_DAYS)
    throw new ConfigError('REGISTRY_USAGE_WINDOW_DAYS', 'must not exceed REGISTRY_USAGE_RETENTION_DAYS');
  if (!s.REGISTRY_JWT_JWKS_URL && !s.REGISTRY_JWT_PUBLIC_KEY)
    throw new ConfigError(
      'REGISTRY_JWT_PUBLIC_KEY',
      'set it or REGISTRY_JWT_JWKS_URL: tokens must be verified',
    );
  const tokens: TokenSettings = {
    jwksUrl: s.REGISTRY_JWT_JWKS_URL,
    publicKey: s.REGISTRY_JWT_PUBLIC_KEY,
    issuer: s.REGISTRY_JWT_ISSUER,
    audience: s.REGISTRY_JWT_AUDIENCE,
    algorithms: s.REGISTRY_JWT_ALGORITHMS,
    clockSkew: s.REGISTRY_JWT_CLOCK_SKEW,
  };
  // Both set, or a key that is not one: refused here, at start, naming REGISTRY_JWT_PUBLIC_KEY.
  createTokenVerifier('REGISTRY_', tokens);
  try {
    importSupergraphPrivateKey(s.REGISTRY_SIGNING_KEY);
  } catch (error) {
    throw new ConfigError('REGISTRY_SIGNING_KEY', (error as Error).message);
  }
  return {
    port: s.REGISTRY_PORT,
    host: s.REGISTRY_HOST,
    databaseUrl: s.REGISTRY_DATABASE_URL,
    signingKey: s.REGISTRY_SIGNING_KEY,
    tokens,
    logLevel: s.REGISTRY_LOG_LEVEL,
    usageChecks: s.REGISTRY_USAGE_CHECKS,
    usageWindowDays: s.REGISTRY_USAGE_WINDOW_DAYS,
    usageRetentionDays: s.REGISTRY_USAGE_RETENTION_DAYS,
  };
}
