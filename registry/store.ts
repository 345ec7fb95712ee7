/**
 * The registry's writes and reads on PostgreSQL (migrations/001_registry.sql). A publish or rollback is
 * one transaction under a per-environment advisory lock: it reads what the environment serves, checks
 * and composes, stores the version, the signed supergraph and its audit entries (kit/runtime/auditlog)
 * together, or nothing. Two publishes to one environment never compose against the same old graph.
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Caller } from '../common/identity';
import { signSupergraph } from '../common/supergraphSignature';
import { appendAuditEntries } from '../kit/runtime/auditlog';
import type { NewAuditEntry } from '../kit/runtime/auditlog';
import type { Database, Queryable } from '../kit/runtime/db';
import type { SubgraphSource } from '../schema/compose';
import { checkProposal } from './check';
import type { CheckResult, SchemaChange } from './check';
import { RegistryError } from './errors';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ServedSubgraph extends SubgraphSource {
  version: number;
  hash: string;
  ownerAgency: string | null;
}

export interface StoredSupergraph {
  id: number;
  sdl: string;
  hash: string;
  signature: string;
  versions: Record<string, number>;
  cause: string;
  createdAt: string;
}

export interface VersionRow {
  version: number;
  hash: string;
  url: string;
  author: string;
  authorRole: string;
  authorAgency: string | null;
  createdAt: string;
  current: boolean;
}

/** The subgraphs `env` serves now, with their current versions. */
export function servedSubgraphs(db: Queryable, env: string): Promise<ServedSubgraph[]> {
  return db.query<ServedSubgraph>(
    `SELECT s.subgraph AS name, v.url, v.sdl AS "typeDefs", v.version, v.hash, s.owner_agency AS "ownerAgency"
       FROM subgraphs s JOIN subgraph_versions v USING (env, subgraph, version)
      WHERE s.env = $1 ORDER BY s.subgraph`,
    [env],
  );
}

/** The newest supergraph of `env`, or null before the first publish. */
export async function latestSupergraph(db: Queryable, env: string): Promise<StoredSupergraph | null> {
  const [row] = await db.query<StoredSupergraph>(
    `SELECT id, sdl, hash, signature, versions, cause, created_at AS "createdAt"
       FROM supergraphs WHERE env = $1 ORDER BY id DESC LIMIT 1`,
    [env],
  );
  return row ?? null;
}

/** Every version of one subgraph, newest first. */
export function listVersions(db: Queryable, env: string, subgraph: string): Promise<VersionRow[]> {
  return db.query<VersionRow>(
    `SELECT v.version, v.hash, v.url, v.author, v.author_role AS "authorRole", v.author_agency AS "authorAgency",
            v.created_at AS "createdAt", (s.version IS NOT NULL) AS current
       FROM subgraph_versions v LEFT JOIN subgraphs s USING (env, subgraph, version)
      WHERE v.env = $1 AND v.subgraph = $2 ORDER BY v.version DESC`,
    [env, subgraph],
  );
}

export interface Actor {
  caller: Caller;
  requestId: string;
}

/** Officials and administrators may change any subgraph; a partner only the ones its agency owns. */
function assertMayChange(caller: Caller, served: ServedSubgraph | undefined, subgraph: string): void {
  if (caller.role === 'admin' || caller.role === 'official') return;
  if (caller.role !== 'partner')
    throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not change subgraphs`);
  if (served && served.ownerAgency !== caller.agencyCode)
    throw new RegistryError(
      'FORBIDDEN',
      `subgraph "${subgraph}" belongs to agency ${served.ownerAgency ?? '(none)'}, not ${caller.agencyCode}`,
    );
}

/** Serialises every change to one environment (transaction-scoped: released at commit or rollback). */
const lockEnvironment = (tx: Queryable, env: string) =>
  tx.query(`SELECT pg_advisory_xact_lock(hashtext('govgraph-registry:' || $1))`, [env]);

/** Composes, signs and stores the supergraph of `subgraphs`; returns its hash. */
async function storeSupergraph(
  tx: Queryable,
  env: string,
  supergraphSdl: string,
  subgraphs: readonly { name: string; version: number }[],
  cause: string,
  key: KeyObject,
): Promise<string> {
  const hash = sha256(supergraphSdl);
  const versions = Object.fromEntries(subgraphs.map((s) => [s.name, s.version]));
  await tx.query(
    `INSERT INTO supergraphs (env, sdl, hash, signature, versions, cause) VALUES ($1, $2, $3, $4, $5, $6)`,
    [env, supergraphSdl, hash, signSupergraph(supergraphSdl, key), JSON.stringify(versions), cause],
  );
  return hash;
}

const coordinates = (changes: readonly SchemaChange[]) =>
  changes.filter((c) => c.severity === 'breaking').map((c) => c.coordinate ?? c.message);

/** A check as `publish` would run it, without storing anything (the CLI's `check`). */
export async function check(
  db: Queryable,
  caller: Caller,
  input: { env: string; subgraph: string; sdl: string; url?: string },
): Promise<CheckResult> {
  const served = await servedSubgraphs(db, input.env);
  const mine = served.find((s) => s.name === input.subgraph);
  assertMayChange(caller, mine, input.subgraph);
  // The URL does not change the API schema: a first version may be checked before it has one.
  const url = input.url ?? mine?.url ?? 'http://unpublished.invalid/graphql';
  return checkProposal(served, { name: input.subgraph, url, typeDefs: input.sdl });
}

export interface PublishInput {
  env: string;
  subgraph: string;
  sdl: string;
  /** Where gateways reach the subgraph; defaults to the current version's. */
  url?: string;
  /** Publish despite breaking changes; the reason is audited. */
  overrideReason?: string;
}

export interface PublishResult {
  /** False when the SDL and URL equal the current version's: nothing was stored. */
  published: boolean;
  version: number;
  hash: string;
  supergraphHash: string;
  changes: SchemaChange[];
  overridden: boolean;
}

export async function publish(
  db: Database,
  key: KeyObject,
  actor: Actor,
  input: PublishInput,
): Promise<PublishResult> {
  return db.transaction(async (tx) => {
    await lockEnvironment(tx, input.env);
    const served = await servedSubgraphs(tx, input.env);
    const mine = served.find((s) => s.name === input.subgraph);
    assertMayChange(actor.caller, mine, input.subgraph);
    const url = input.url ?? mine?.url;
    if (url === undefined)
      throw new RegistryError('BAD_REQUEST', `the first version of "${input.subgraph}" needs a url`);
    const hash = sha256(input.sdl);
    const current = await latestSupergraph(tx, input.env);
    if (mine && mine.hash === hash && mine.url === url && current)
      return {
        published: false,
        version: mine.version,
        hash,
        supergraphHash: current.hash,
        changes: [],
        overridden: false,
      };
    const check = await checkProposal(served, { name: input.subgraph, url, typeDefs: input.sdl });
    refuseFailedCheck(check, input.overrideReason);
    const overridden = !check.ok;
    const [{ version }] = (await tx.query<{ version: number }>(
      `SELECT coalesce(max(version), 0) + 1 AS version FROM subgraph_versions WHERE env = $1 AND subgraph = $2`,
      [input.env, input.subgraph],
    )) as [{ version: number }];
    const { caller } = actor;
    await tx.query(
      `INSERT INTO subgraph_versions (env, subgraph, version, sdl, url, hash, author, author_role, author_agency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        input.env,
        input.subgraph,
        version,
        input.sdl,
        url,
        hash,
        caller.subject,
        caller.role,
        caller.agencyCode,
      ],
    );
    await tx.query(
      `INSERT INTO subgraphs (env, subgraph, version, owner_agency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (env, subgraph) DO UPDATE SET version = EXCLUDED.version`,
      [input.env, input.subgraph, version, caller.role === 'partner' ? caller.agencyCode : null],
    );
    const composed = [...served.filter((s) => s.name !== input.subgraph), { name: input.subgraph, version }];
    const supergraphHash = await storeSupergraph(
      tx,
      input.env,
      check.supergraphSdl!,
      composed,
      `publish ${input.subgraph} v${version}`,
      key,
    );
    const record = `${input.env}/${input.subgraph}@${version}`;
    const entries: NewAuditEntry[] = [];
    if (overridden)
      entries.push({
        kind: 'mutation',
        operation: 'overrideSchemaCheck',
        type: 'SubgraphVersion',
        fields: ['reason'],
        recordIds: [record],
        written: {
          env: input.env,
          subgraph: input.subgraph,
          reason: input.overrideReason,
          breaking: coordinates(check.changes),
        },
      });
    entries.push({
      kind: 'mutation',
      operation: 'publishSubgraph',
      type: 'SubgraphVersion',
      fields: ['sdl', 'url'],
      recordIds: [record],
      written: { env: input.env, subgraph: input.subgraph, version, hash, url, supergraphHash },
    });
    await appendAuditEntries(tx, actor, entries);
    return { published: true, version, hash, supergraphHash, changes: check.changes, overridden };
  });
}

function refuseFailedCheck(check: CheckResult, overrideReason: string | undefined): void {
  if (check.compositionErrors.length)
    throw new RegistryError('COMPOSITION_FAILED', 'the proposed schema does not compose with the graph', {
      compositionErrors: check.compositionErrors,
    });
  if (!check.ok && !overrideReason)
    throw new RegistryError(
      'CHECK_FAILED',
      `breaking changes: ${coordinates(check.changes).join(', ')} (publish with an override reason to go ahead)`,
      { changes: check.changes },
    );
}

export interface RollbackResult {
  /** False when `to` is already the current version. */
  rolledBack: boolean;
  from: number;
  to: number;
  supergraphHash: string;
  changes: SchemaChange[];
}

export async function rollback(
  db: Database,
  key: KeyObject,
  actor: Actor,
  input: { env: string; subgraph: string; to: number },
): Promise<RollbackResult> {
  return db.transaction(async (tx) => {
    await lockEnvironment(tx, input.env);
    const served = await servedSubgraphs(tx, input.env);
    const mine = served.find((s) => s.name === input.subgraph);
    if (!mine) throw new RegistryError('NOT_FOUND', `no subgraph "${input.subgraph}" in ${input.env}`);
    assertMayChange(actor.caller, mine, input.subgraph);
    const [target] = await tx.query<{ sdl: string; url: string }>(
      `SELECT sdl, url FROM subgraph_versions WHERE env = $1 AND subgraph = $2 AND version = $3`,
      [input.env, input.subgraph, input.to],
    );
    if (!target)
      throw new RegistryError('NOT_FOUND', `"${input.subgraph}" has no version ${input.to} in ${input.env}`);
    const current = (await latestSupergraph(tx, input.env))!;
    if (mine.version === input.to)
      return {
        rolledBack: false,
        from: mine.version,
        to: input.to,
        supergraphHash: current.hash,
        changes: [],
      };
    // A rollback is the operator's decision: breaking changes are reported, not refused; the graph
    // must still compose with what the other subgraphs publish now.
    const check = await checkProposal(served, {
      name: input.subgraph,
      url: target.url,
      typeDefs: target.sdl,
    });
    refuseFailedCheck(check, 'rollback');
    await tx.query(`UPDATE subgraphs SET version = $3 WHERE env = $1 AND subgraph = $2`, [
      input.env,
      input.subgraph,
      input.to,
    ]);
    const composed = served.map((s) => (s.name === input.subgraph ? { name: s.name, version: input.to } : s));
    const supergraphHash = await storeSupergraph(
      tx,
      input.env,
      check.supergraphSdl!,
      composed,
      `rollback ${input.subgraph} v${mine.version} → v${input.to}`,
      key,
    );
    await appendAuditEntries(tx, actor, [
      {
        kind: 'mutation',
        operation: 'rollbackSubgraph',
        type: 'SubgraphVersion',
        fields: ['version'],
        recordIds: [`${input.env}/${input.subgraph}@${input.to}`],
        written: {
          env: input.env,
          subgraph: input.subgraph,
          from: mine.version,
          to: input.to,
          supergraphHash,
        },
      },
    ]);
    return { rolledBack: true, from: mine.version, to: input.to, supergraphHash, changes: check.changes };
  });
}
