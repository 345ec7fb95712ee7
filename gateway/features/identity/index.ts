/**
 * Identity: who is calling, verified once at the gateway and vouched for to every subgraph.
 *
 * In: `Authorization: Bearer <JWT>` from the identity provider, verified with `jose` against a JWKS
 * URL (keys cached; an unknown `kid` triggers a refetch, so a new key is picked up and a removed one
 * stops working once the cache is refreshed; when the JWKS cannot be fetched, only keys already cached
 * verify — never "allow") or a static public key for development. Algorithms are pinned to asymmetric
 * ones (`none` and HMAC are refused, so a token HMAC-signed with the public key fails); `exp`, `nbf`,
 * `iss` and `aud` are checked with a small clock skew. A bad token → 401 UNAUTHENTICATED and no data;
 * no token → the anonymous caller.
 *
 * Claims (docs/security.md "Identity"): `sub`; `role` = citizen | official | analyst | partner | admin;
 * `citizen_id` (citizens, 12 digits); `agency` (officials: their agency; partners: the partner
 * agency; QCVN 102 code); `scope` (partners, space-separated).
 *
 * Out: each subgraph fetch carries the caller in a short-lived token the gateway signs for that
 * subgraph with `GATEWAY_SUBGRAPH_SIGNING_KEY` (common/identity.ts); subgraphs refuse anything else.
 * A subgraph that checks records of other subgraphs before it writes (its `peers`, given here as
 * `GATEWAY_SUBGRAPH_PEERS`) also gets, with each mutation fetch, one delegation token per peer (`x-govgraph-peers`): the same
 * caller, addressed to the peer, naming the subgraph as the actor, with the peer's address as the
 * gateway knows it (the supergraph's, or its SUBGRAPH_URL_* override).
 *
 * The verified caller is the core's (../../context.ts): this feature records it for the request
 * (`setCaller`) and returns it as the context's `identity`; other features read it there.
 */
import { createPrivateKey } from 'node:crypto';
import { ConfigError, env } from '../../../common/env';
import { ANONYMOUS } from '../../../common/identity';
import type { Caller } from '../../../common/identity';
import { CALLER_HEADER, createCallerSigner, PEERS_HEADER } from '../../../common/identity';
import { setCaller } from '../../context';
import { defineFeature } from '../../feature';
import { signCalls } from '../../transport';
import { graphUrls, peerMap } from './peers';
import { createTokenVerifier, jwtSettings, TokenRefused, unauthenticated } from './token';

export type { Caller } from '../../../common/identity';
export { callerFromClaims } from './token';

export const identity = defineFeature({
  name: 'identity',
  env: {
    ...jwtSettings('GATEWAY_'),
    /** How long fetched JWKS keys are trusted before a refetch, ms. */
    GATEWAY_JWKS_CACHE_MAX_AGE: env.integer(1, 86_400_000).default(600_000),
    /** Minimum time between two JWKS fetches (an unknown `kid` refetches at most this often), ms. */
    GATEWAY_JWKS_COOLDOWN: env.integer(0, 3_600_000).default(30_000),
    /** JWKS fetch timeout, ms. */
    GATEWAY_JWKS_TIMEOUT: env.integer(1, 60_000).default(5_000),
    /** Ed25519 private key (PEM or base64 PKCS#8) the gateway signs subgraph caller tokens with. */
    GATEWAY_SUBGRAPH_SIGNING_KEY: env.text().optional(),
    /**
     * The peers each subgraph reads while it checks a write, e.g. `land=dossiers;documents=mail`
     * (`npm start` and the test stacks fill it from schema/registry.json): fetches to `land` then carry
     * a delegation token for `dossiers` (common/identity.ts "Delegation").
     */
    GATEWAY_SUBGRAPH_PEERS: peerMap().default(new Map<string, readonly string[]>()),
  },
  create(settings, host) {
    const tokens = createTokenVerifier(
      'GATEWAY_',
      {
        jwksUrl: settings.GATEWAY_JWT_JWKS_URL,
        publicKey: settings.GATEWAY_JWT_PUBLIC_KEY,
        issuer: settings.GATEWAY_JWT_ISSUER,
        audience: settings.GATEWAY_JWT_AUDIENCE,
        algorithms: settings.GATEWAY_JWT_ALGORITHMS,
        clockSkew: settings.GATEWAY_JWT_CLOCK_SKEW,
      },
      {
        cacheMaxAge: settings.GATEWAY_JWKS_CACHE_MAX_AGE,
        cooldownDuration: settings.GATEWAY_JWKS_COOLDOWN,
        timeoutDuration: settings.GATEWAY_JWKS_TIMEOUT,
      },
    );
    if (!tokens.hasKey)
      host.logger.warn('no GATEWAY_JWT_JWKS_URL or GATEWAY_JWT_PUBLIC_KEY: every token is refused');

    const signing = settings.GATEWAY_SUBGRAPH_SIGNING_KEY;
    if (signing !== undefined) {
      let type: string | undefined;
      try {
        type = createPrivateKey(
          /^-----/.test(signing.trim())
            ? signing
            : { key: Buffer.from(signing, 'base64'), format: 'der', type: 'pkcs8' },
        ).asymmetricKeyType;
      } catch {
        type = undefined;
      }
      if (type !== 'ed25519')
        throw new ConfigError(
          'GATEWAY_SUBGRAPH_SIGNING_KEY',
          'must be an Ed25519 private key (PEM or base64 PKCS#8)',
        );
    } else {
      host.logger.warn('no GATEWAY_SUBGRAPH_SIGNING_KEY: subgraphs built on the kit will refuse every fetch');
    }
    const signer = signing ? createCallerSigner(signing) : undefined;
    const signCaller =
      signer &&
      signCalls(CALLER_HEADER, (call) => signer.sign(call.context.identity ?? ANONYMOUS, call.subgraph));
    const peers = settings.GATEWAY_SUBGRAPH_PEERS;
    // Peer name → the address the gateway fetches it at; known once the supergraph is loaded.
    let peerUrls = new Map<string, string>();
    const delegations = async (caller: Caller, subgraph: string): Promise<string | undefined> => {
      const names = peers.get(subgraph);
      if (!signer || !names) return undefined;
      const tokens = await Promise.all(
        names.map(async (peer) => {
          const peerUrl = peerUrls.get(peer)!;
          return `${peer}=${await signer.sign(caller, peer, { actor: subgraph, peerUrl })}`;
        }),
      );
      return tokens.join(',');
    };

    return {
      async context(request) {
        const header = request.headers.authorization;
        if (header === undefined || header.trim() === '') {
          setCaller(request, ANONYMOUS);
          return { identity: ANONYMOUS };
        }
        let caller: Caller;
        try {
          caller = await tokens.verify(header);
        } catch (err) {
          if (!(err instanceof TokenRefused)) throw err;
          if (err.reason) request.log.info({ reason: err.reason }, 'token refused');
          throw unauthenticated(err.message);
        }
        setCaller(request, caller);
        return { identity: caller };
      },
      supergraph(sdl) {
        const urls = graphUrls(sdl);
        // SUBGRAPH_URL_<NAME> overrides the supergraph's address (gateway/config/).
        for (const name of urls.keys()) {
          const override = host.config.subgraphUrls[name.toUpperCase().replace(/[^A-Z0-9]/g, '_')];
          if (override) urls.set(name, override);
        }
        for (const [subgraph, names] of peers)
          for (const name of [subgraph, ...names])
            if (!urls.has(name))
              throw new ConfigError('GATEWAY_SUBGRAPH_PEERS', `no subgraph "${name}" in the supergraph`);
        peerUrls = urls;
        return sdl;
      },
      // Signing itself is the transport's (transport/signing.ts): this feature names the caller and the
      // key; a mutation fetch to a subgraph with peers also carries its delegation tokens.
      subgraphFetch:
        signCaller &&
        (async (call, next) => {
          // Peers are asked while a write is checked: only mutation fetches carry delegations (the
          // gateway wrote the subgraph operation itself, so its first word is its type).
          const delegated = /^\s*mutation\b/.test(call.request.body.query)
            ? await delegations(call.context.identity ?? ANONYMOUS, call.subgraph)
            : undefined;
          if (delegated) call.request.headers.set(PEERS_HEADER, delegated);
          return signCaller(call, next);
        }),
    };
  },
});
