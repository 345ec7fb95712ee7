/**
 * Schema contracts (issue 19, docs/contracts.md): a partner is served an API schema cut from the
 * graph by `@tag` filters (schema/contracts.ts), chosen by its token (the contract's `partners`, or
 * `GATEWAY_PARTNER_CONTRACTS`) or by the path `/graphql/contracts/<name>` (plugin.ts).
 *
 * `GATEWAY_CONTRACTS` is a contracts file, read at start (`npm start` without a registry), or the
 * registry's signed contracts document, followed without a restart (source.ts). Either way what
 * serves — the contracts' schemas and which partner gets which — is swapped as one value: when the
 * supergraph reloads (the schemas are cut again from it) and when the registry's contracts change.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { ConfigError, env } from '../../../common/env';
import { importSupergraphPublicKey } from '../../../common/supergraphSignature';
import { ErrorCode } from '../../../schema/error-codes';
import { apiSchemaOfSupergraph, parseContractDefinitions } from '../../../schema/contracts';
import type { ContractDefinitions } from '../../../schema/contracts';
import type { GatewayContext } from '../../context';
import { defineFeature } from '../../feature';
import { buildContracts, contractsPlugin } from './plugin';
import type { ServedContracts } from './plugin';
import { servedPartners } from './selection';
import { registryContracts } from './source';
import type { ContractsStatus, RegistryContracts } from './source';

declare module '../../context' {
  interface GatewayContext {
    /** The contract the request's path names (`/graphql/contracts/<name>`). */
    readonly contractPath?: string;
  }
}

export { contractsPlugin, buildContracts };

export const contracts = defineFeature({
  name: 'contracts',
  env: {
    /**
     * The contracts: a file (JSON, name → { include, exclude, partners }) read at start, or the
     * registry's `…/v1/environments/<env>/contracts` (http/https), followed. Unset: no contracts.
     */
    GATEWAY_CONTRACTS: env.text().optional(),
    /**
     * `<agency code>=<contract>` or `scope:<scope>=<contract>`, comma-separated: partners' contracts,
     * over those the contracts' own `partners` give.
     */
    GATEWAY_PARTNER_CONTRACTS: env.text().default(''),
    /** With a registry URL: the token (an official's or administrator's) the registry is read with. */
    GATEWAY_CONTRACTS_TOKEN: env.text().optional(),
  },
  create: (s, host) => {
    const where = s.GATEWAY_CONTRACTS;
    if (!where) {
      if (s.GATEWAY_PARTNER_CONTRACTS)
        throw new ConfigError('GATEWAY_PARTNER_CONTRACTS', 'needs GATEWAY_CONTRACTS (the contracts)');
      if (s.GATEWAY_CONTRACTS_TOKEN)
        throw new ConfigError('GATEWAY_CONTRACTS_TOKEN', 'needs GATEWAY_CONTRACTS (the registry URL)');
      return {};
    }
    const fromRegistry = /^https?:\/\//i.test(where);
    let definitions: ContractDefinitions = {};
    let served: ServedContracts = {
      states: new Map(),
      partners: { byAgency: new Map(), byScope: new Map() },
    };
    /** The supergraph text the states were last cut from: the serving one (see the hook below). */
    let servingSdl: string | undefined;
    /**
     * The API schemas of the last two supergraph texts cut (a reload cuts the new one and the serving
     * one again): building one is most of a cut's cost, so a contracts change costs only the cuts.
     */
    const apis = new Map<string, GraphQLSchema>();
    const cut = (sdl: string, next: ContractDefinitions) => {
      if (Object.keys(next).length === 0) return new Map();
      let api = apis.get(sdl);
      if (!api) {
        api = apiSchemaOfSupergraph(sdl);
        apis.set(sdl, api);
        if (apis.size > 2) apis.delete(apis.keys().next().value!);
      }
      return buildContracts(sdl, next, api);
    };

    /** Makes `next` the contracts serving; throws a one-line reason (nothing changes then). */
    const take = (next: ContractDefinitions) => {
      const partners = servedPartners(next, s.GATEWAY_PARTNER_CONTRACTS);
      if (typeof partners === 'string') throw new Error(`GATEWAY_PARTNER_CONTRACTS: ${partners}`);
      const states = servingSdl === undefined ? new Map() : cut(servingSdl, next);
      definitions = next;
      served = { states, partners };
    };

    let registry: RegistryContracts | undefined;
    let fileStatus: ContractsStatus | undefined;
    if (fromRegistry) {
      const token = s.GATEWAY_CONTRACTS_TOKEN;
      if (!token)
        throw new ConfigError(
          'GATEWAY_CONTRACTS_TOKEN',
          'is required when GATEWAY_CONTRACTS is a registry URL (an official or admin token)',
        );
      const { publicKey, pollIntervalMs, timeoutMs } = host.config.supergraph;
      if (publicKey === undefined)
        throw new ConfigError(
          'GATEWAY_SUPERGRAPH_PUBLIC_KEY',
          'is required when GATEWAY_CONTRACTS is a registry URL: its contracts are signed as the supergraph is',
        );
      registry = registryContracts({
        url: where,
        token,
        publicKey: importSupergraphPublicKey(publicKey),
        intervalMs: pollIntervalMs,
        timeoutMs,
        logger: host.logger,
        apply: (text) => take(parseContractDefinitions(JSON.parse(text))),
      });
    } else {
      let text: string;
      try {
        text = readFileSync(where, 'utf8');
        definitions = parseContractDefinitions(JSON.parse(text));
      } catch (error) {
        throw new ConfigError('GATEWAY_CONTRACTS', `${where}: ${(error as Error).message}`);
      }
      const partners = servedPartners(definitions, s.GATEWAY_PARTNER_CONTRACTS);
      if (typeof partners === 'string') throw new ConfigError('GATEWAY_PARTNER_CONTRACTS', partners);
      served = { states: new Map(), partners };
      const hash = createHash('sha256').update(text, 'utf8').digest('hex');
      fileStatus = { hash, since: new Date().toISOString(), reloads: 0, refusals: 0 };
    }

    return {
      graphqlPaths: ['/graphql/contracts/:contract'],
      ...(registry && {
        start: async () => {
          try {
            await registry.load();
          } catch (error) {
            throw new ConfigError('GATEWAY_CONTRACTS', (error as Error).message);
          }
        },
        stop: async () => registry.stop(),
      }),
      ready: () => ({ contracts: (registry?.status() ?? fileStatus)! }),
      context: (request) => {
        const name = (request.params as { contract?: string } | undefined)?.contract;
        if (name === undefined) return {};
        if (!served.states.has(name))
          throw new GraphQLError(`No schema contract named "${name}"`, {
            extensions: { code: ErrorCode.NOT_FOUND, http: { status: 404 } },
          });
        return { contractPath: name } satisfies Partial<GatewayContext>;
      },
      // Run on each supergraph version the engine considers, and last on the one that serves
      // (engine/supergraph/follow.ts), so `servingSdl` is the serving text between changes.
      supergraph: (sdl) => {
        try {
          served = { ...served, states: cut(sdl, definitions) };
        } catch (error) {
          throw new ConfigError('GATEWAY_CONTRACTS', (error as Error).message);
        }
        servingSdl = sdl;
        return sdl;
      },
      plugins: [contractsPlugin(() => served)],
    };
  },
});
