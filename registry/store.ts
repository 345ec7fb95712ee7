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
import { checkProposal } from './check';
import type { CheckResult, SchemaChange } from './check';
import { contractProblems } from './contracts';
import { RegistryError } from './errors';
import { lockEnvironment } from './lock';
import { latestSupergraph, servedSubgraphs } from './reads';
import type { ServedSubgraph } from './reads';
import { blocking, describeBlocking, STRICT, withUsage } from './usage';
import type { CheckPolicy } from './usage';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

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

/** A check as `publish` would run it, without storing anything (the CLI's `check`). */
export async function check(
  db: Queryable,
  caller: Caller,
  input: { env: string; subgraph: string; sdl: string; url?: string },
  policy: CheckPolicy = STRICT,
): Promise<CheckResult> {
  const served = await servedSubgraphs(db, input.env);
  const mine = served.find((s) => s.name === input.subgraph);
  assertMayChange(caller, mine, input.subgraph);
  // The URL does not change the API schema: a first version may be checked before it has one.
  const url = input.url ?? mine?.url ?? 'http://unpublished.invalid/graphql';
  return judge(
    db,
    input.env,
    await checkProposal(served, { name: input.subgraph, url, typeDefs: input.sdl }),
    policy,
  );
}

/** The check's verdict under `policy`: breaking changes with who used them, and whether any blocks. */
async function judge(
  db: Queryable,
  env: string,
  result: CheckResult,
  policy: CheckPolicy,
): Promise<CheckResult> {
  if (result.compositionErrors.length) return result;
  const emptied = await contractProblems(db, env, result.supergraphSdl!, result.apiSchema);
  if (emptied.length) return { ...result, ok: false, compositionErrors: emptied };
  const changes = await withUsage(db, env, result.changes, policy.windowDays);
  return { ...result, changes, ok: blocking(changes, policy).length === 0 };
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
  policy: CheckPolicy = STRICT,
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
    const check = await judge(
      tx,
      input.env,
      await checkProposal(served, { name: input.subgraph, url, typeDefs: input.sdl }),
      policy,
    );
    refuseFailedCheck(check, input.overrideReason, policy);
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
          breaking: blocking(check.changes, policy).map(describeBlocking),
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

function refuseFailedCheck(
  check: CheckResult,
  overrideReason: string | undefined,
  policy: CheckPolicy = STRICT,
): void {
  if (check.compositionErrors.length)
    throw new RegistryError('COMPOSITION_FAILED', 'the proposed schema does not compose with the graph', {
      compositionErrors: check.compositionErrors,
    });
  if (!check.ok && !overrideReason)
    throw new RegistryError(
      'CHECK_FAILED',
      `breaking changes: ${blocking(check.changes, policy).map(describeBlocking).join('; ')} (publish with an override reason to go ahead)`,
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
    const proposal = await checkProposal(served, {
      name: input.subgraph,
      url: target.url,
      typeDefs: target.sdl,
    });
    const emptied = proposal.supergraphSdl
      ? await contractProblems(tx, input.env, proposal.supergraphSdl, proposal.apiSchema)
      : [];
    const check = emptied.length ? { ...proposal, ok: false, compositionErrors: emptied } : proposal;
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
