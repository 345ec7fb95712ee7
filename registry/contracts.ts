/**
 * Schema contracts in the registry (migrations/004_contracts.sql, docs/contracts.md): per environment,
 * a contract's `@tag` filter and the partners it is served to. Officials and administrators set and
 * delete them; every change is an entry of the hash-chained audit log. A contract that would leave no
 * `Query` field on the environment's current supergraph is refused (`CONTRACT_EMPTY`), and so is a
 * partner given two contracts (`CONTRACT_CONFLICT`) and the deletion of a contract still served to
 * partners (`CONTRACT_IN_USE`: they would see the whole graph). The gateways read all of them as one
 * document, signed like the supergraph.
 */
import type { Caller } from '../common/identity';
import { appendAuditEntries } from '../kit/runtime/auditlog';
import type { AuditActor as Actor } from '../kit/runtime/auditlog';
import type { Database, Queryable } from '../kit/runtime/db';
import { apiSchemaOfSupergraph, contractSchema, tagsOf } from '../schema/contracts';
import type { ContractDefinitions, ContractFilter } from '../schema/contracts';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { RegistryError } from './errors';
import { latestSupergraph } from './reads';
import { lockEnvironment } from './lock';

export interface StoredContract {
  name: string;
  include: string[];
  exclude: string[];
  partners: string[];
  revision: number;
  author: string;
  authorRole: string;
  authorAgency: string | null;
  updatedAt: string;
}

export interface ContractInput {
  env: string;
  name: string;
  include: string[];
  exclude: string[];
  partners: string[];
}

const COLUMNS = `name, include_tags AS include, exclude_tags AS exclude, partners, revision, author,
  author_role AS "authorRole", author_agency AS "authorAgency", updated_at AS "updatedAt"`;

/** An environment's contracts, by name. */
export function listContracts(db: Queryable, env: string): Promise<StoredContract[]> {
  return db.query<StoredContract>(`SELECT ${COLUMNS} FROM contracts WHERE env = $1 ORDER BY name`, [env]);
}

/** Officials and administrators read every contract; a partner only those it is served. */
export function servedTo(caller: Caller, contract: { partners: readonly string[] }): boolean {
  if (caller.role === 'official' || caller.role === 'admin') return true;
  return matchingPartners(caller, contract).length > 0;
}

/** The entries of `contract.partners` that name this partner (its agency, or a scope it has). */
function matchingPartners(caller: Caller, contract: { partners: readonly string[] }): string[] {
  if (caller.role !== 'partner') return [];
  return contract.partners.filter((p) =>
    p.startsWith('scope:') ? caller.scopes.includes(p.slice('scope:'.length)) : p === caller.agencyCode,
  );
}

/** One contract the caller may read, or NOT_FOUND (a partner is not told that others' exist). */
export async function readableContract(
  db: Queryable,
  caller: Caller,
  env: string,
  name: string,
): Promise<StoredContract> {
  const [contract] = await db.query<StoredContract>(
    `SELECT ${COLUMNS} FROM contracts WHERE env = $1 AND name = $2`,
    [env, name],
  );
  if (!contract || !servedTo(caller, contract))
    throw new RegistryError('NOT_FOUND', `no contract "${name}" in ${env}`);
  return caller.role === 'partner' ? { ...contract, partners: matchingPartners(caller, contract) } : contract;
}

/**
 * The document gateways read: name → { include, exclude, partners } (schema/contracts.ts's
 * `parseContractDefinitions` shape, as the contracts file), names in order, deterministic bytes.
 * Officials and administrators only: a gateway given a partner's token must fail, not serve a
 * document that lacks the other partners' contracts (they would get the whole graph).
 */
export function contractsDocument(caller: Caller, contracts: readonly StoredContract[]): string {
  if (caller.role !== 'official' && caller.role !== 'admin')
    throw new RegistryError(
      'FORBIDDEN',
      `a ${caller.role} token may not read every contract: GET …/contracts/<name> reads one it is served`,
    );
  const document: ContractDefinitions = {};
  for (const c of contracts)
    document[c.name] = { include: c.include, exclude: c.exclude, partners: c.partners };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The contract's API schema on `supergraphSdl`, or the reason it cannot be served. */
function cut(api: GraphQLSchema, supergraphSdl: string, filter: ContractFilter): GraphQLSchema {
  const schema = contractSchema(api, supergraphSdl, filter);
  if (!schema.getQueryType()) throw new RegistryError('CONTRACT_EMPTY', 'leaves no Query field');
  return schema;
}

/** The contract's API schema on the environment's current supergraph. */
export async function contractApiSchema(
  db: Queryable,
  env: string,
  contract: ContractFilter,
): Promise<GraphQLSchema> {
  const supergraph = await latestSupergraph(db, env);
  if (!supergraph) throw new RegistryError('NOT_FOUND', `nothing is published in ${env} yet`);
  return cut(apiSchemaOfSupergraph(supergraph.sdl), supergraph.sdl, contract);
}

/**
 * What the environment's contracts say of a supergraph about to be served: each contract it would
 * leave with no `Query` field (the gateways would refuse that supergraph). Empty when all can serve.
 */
export async function contractProblems(
  db: Queryable,
  env: string,
  supergraphSdl: string,
  /** The supergraph's API schema when the caller has it (the check's composition made it). */
  apiSchema?: GraphQLSchema,
): Promise<string[]> {
  const contracts = await listContracts(db, env);
  if (contracts.length === 0) return [];
  const api = apiSchema ?? apiSchemaOfSupergraph(supergraphSdl);
  return contracts.flatMap((c) =>
    contractSchema(api, supergraphSdl, c).getQueryType()
      ? []
      : [
          `contract "${c.name}" would leave no Query field (the gateways serving it would refuse this supergraph); change the contract first`,
        ],
  );
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export interface SetContractResult {
  contract: StoredContract;
  /** False when the definition equals the stored one: nothing was written. */
  changed: boolean;
  /** Query fields the contract keeps on the current supergraph; null before the first publish. */
  queryFields: number | null;
  /** Tags of the filter that nothing in the current supergraph carries (a typo excludes nothing). */
  unknownTags: string[];
}

export async function setContract(
  db: Database,
  actor: Actor,
  input: ContractInput,
): Promise<SetContractResult> {
  mayChange(actor.caller);
  return db.transaction(async (tx) => {
    // The lock a publish takes: a contract and a supergraph never change past each other's check.
    await lockEnvironment(tx, input.env);
    const contracts = await listContracts(tx, input.env);
    const current = contracts.find((c) => c.name === input.name);
    for (const p of input.partners) {
      const other = contracts.find((c) => c.name !== input.name && c.partners.includes(p));
      if (other)
        throw new RegistryError(
          'CONTRACT_CONFLICT',
          `partner ${p} is already served contract "${other.name}" in ${input.env}: remove it there first`,
        );
    }
    const supergraph = await latestSupergraph(tx, input.env);
    let queryFields: number | null = null;
    let unknownTags: string[] = [];
    if (supergraph) {
      let schema: GraphQLSchema;
      try {
        schema = cut(apiSchemaOfSupergraph(supergraph.sdl), supergraph.sdl, input);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        throw new RegistryError(
          'CONTRACT_EMPTY',
          `contract "${input.name}" leaves no Query field on the current graph of ${input.env}`,
        );
      }
      queryFields = Object.keys(schema.getQueryType()!.getFields()).length;
      const known = new Set([...tagsOf(parse(supergraph.sdl)).values()].flatMap((s) => [...s]));
      unknownTags = [...input.include, ...input.exclude].filter((t) => !known.has(t));
    }
    if (
      current &&
      sameList(current.include, input.include) &&
      sameList(current.exclude, input.exclude) &&
      sameList(current.partners, input.partners)
    )
      return { contract: current, changed: false, queryFields, unknownTags };
    const { caller } = actor;
    const [contract] = (await tx.query<StoredContract>(
      `INSERT INTO contracts (env, name, include_tags, exclude_tags, partners, revision, author, author_role, author_agency)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)
       ON CONFLICT (env, name) DO UPDATE SET include_tags = EXCLUDED.include_tags,
         exclude_tags = EXCLUDED.exclude_tags, partners = EXCLUDED.partners,
         revision = contracts.revision + 1, author = EXCLUDED.author, author_role = EXCLUDED.author_role,
         author_agency = EXCLUDED.author_agency, updated_at = EXCLUDED.updated_at
       RETURNING ${COLUMNS}`,
      [
        input.env,
        input.name,
        input.include,
        input.exclude,
        input.partners,
        caller.subject,
        caller.role,
        caller.agencyCode,
      ],
    )) as [StoredContract];
    await appendAuditEntries(tx, actor, [
      {
        kind: 'mutation',
        operation: 'setContract',
        type: 'SchemaContract',
        fields: ['include', 'exclude', 'partners'],
        recordIds: [`${input.env}/contracts/${input.name}@${contract.revision}`],
        written: {
          env: input.env,
          name: input.name,
          revision: contract.revision,
          include: input.include,
          exclude: input.exclude,
          partners: input.partners,
          ...(current && {
            previous: { include: current.include, exclude: current.exclude, partners: current.partners },
          }),
        },
      },
    ]);
    return { contract, changed: true, queryFields, unknownTags };
  });
}

export async function deleteContract(
  db: Database,
  actor: Actor,
  env: string,
  name: string,
): Promise<{ deleted: string; revision: number }> {
  mayChange(actor.caller);
  return db.transaction(async (tx) => {
    await lockEnvironment(tx, env);
    const [gone] = await tx.query<StoredContract>(
      `DELETE FROM contracts WHERE env = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [env, name],
    );
    if (!gone) throw new RegistryError('NOT_FOUND', `no contract "${name}" in ${env}`);
    // Its partners would fall back to the whole graph (their tokens' scopes and row rules still
    // apply): that widening is its own, deliberate step, never a side effect of a delete. The error
    // rolls the delete back.
    if (gone.partners.length > 0)
      throw new RegistryError(
        'CONTRACT_IN_USE',
        `contract "${name}" is still served to ${gone.partners.join(', ')} in ${env}: give them another contract, or set its partners to none first (they would then see the whole graph)`,
        { partners: gone.partners },
      );
    await appendAuditEntries(tx, actor, [
      {
        kind: 'mutation',
        operation: 'deleteContract',
        type: 'SchemaContract',
        fields: ['include', 'exclude', 'partners'],
        recordIds: [`${env}/contracts/${name}@${gone.revision}`],
        written: {
          env,
          name,
          revision: gone.revision,
          include: gone.include,
          exclude: gone.exclude,
          partners: gone.partners,
        },
      },
    ]);
    return { deleted: name, revision: gone.revision };
  });
}

/** Which partner sees what is the platform's decision: officials and administrators only. */
function mayChange(caller: Caller): void {
  if (caller.role !== 'official' && caller.role !== 'admin')
    throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not change contracts`);
}
