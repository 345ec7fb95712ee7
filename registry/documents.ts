/**
 * Trusted documents count as usage (issue 19; docs/registry.md "Trusted documents"). A client
 * registers its trusted-document manifest per environment (`npm run schema -- documents <client>
 * --manifest <file>`, any of the three formats the gateway reads, common/trustedDocumentManifest.ts);
 * the registry validates every document against the API schema the environment serves, computes the
 * schema coordinates each operation selects (schema/coordinates.ts, as the gateway's usage report
 * does) and stores them (migrations/003_trusted_documents.sql). A check then counts them as uses of
 * what they select, whatever the usage window (usage.ts `withUsage`).
 *
 * A push replaces the client's set, in one transaction under the environment's lock (a publish never
 * checks against a half-replaced set, and a push never validates against a graph being replaced), and
 * is written to the hash-chained audit log when the set changes. Officials and administrators may
 * register any client; a partner only a client its agency owns, the agency that registered it first.
 */
import type { DocumentNode, GraphQLError } from 'graphql';
import { Kind, parse, validate } from 'graphql';
import type { Caller } from '../common/identity';
import { ManifestError, manifestOf } from '../common/trustedDocumentManifest';
import { usedCoordinates } from '../schema/coordinates';
import { appendAuditEntries } from '../kit/runtime/auditlog';
import type { Database, Queryable } from '../kit/runtime/db';
import { servedApiSchema } from './check';
import { RegistryError } from './errors';
import { servedSubgraphs } from './reads';
import { lockEnvironment } from './lock';
import { sha256 } from './store';
import type { Actor } from './store';

/** Most documents one manifest may hold. */
export const MAX_DOCUMENTS = 5000;
/** Invalid documents listed in a refusal (the count says how many more). */
const PROBLEMS_LISTED = 20;
/** Operation names listed in an audit entry's `added` / `removed`. */
const NAMES_AUDITED = 200;

export interface RegisterResult {
  client: string;
  /** False when the client's set was already these documents: nothing new was audited. */
  registered: boolean;
  /** Documents in the set. */
  documents: number;
  /** The set's operations, by name. */
  operations: string[];
  /** Operations added and removed compared with the set before. */
  added: string[];
  removed: string[];
  manifestHash: string;
}

interface Operation {
  hash: string;
  operation: string;
  document: string;
  coordinates: string[];
}

/** Officials and administrators may register any client; a partner only one its agency owns. */
function assertMayRegister(
  caller: Caller,
  owner: { ownerAgency: string | null } | undefined,
  client: string,
) {
  if (caller.role === 'admin' || caller.role === 'official') return;
  if (caller.role !== 'partner')
    throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not register trusted documents`);
  if (owner && owner.ownerAgency !== caller.agencyCode)
    throw new RegistryError(
      'FORBIDDEN',
      `client "${client}" belongs to ${owner.ownerAgency ? `agency ${owner.ownerAgency}` : 'the platform'}, not ${caller.agencyCode}`,
    );
}

/** Each operation of each document with its coordinates, or the documents that do not validate. */
function operationsOf(
  manifest: ReadonlyMap<string, string>,
  schema: Parameters<typeof validate>[0],
): { operations: Operation[]; problems: { hash: string; errors: string[] }[] } {
  const operations: Operation[] = [];
  const problems: { hash: string; errors: string[] }[] = [];
  for (const [hash, text] of manifest) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      problems.push({ hash, errors: [(error as GraphQLError).message] });
      continue;
    }
    const errors = validate(schema, document).map((e) => e.message);
    const names = document.definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? null] : [],
    );
    if (!names.length) errors.push('holds no operation');
    if (errors.length) {
      problems.push({ hash, errors });
      continue;
    }
    for (const name of names)
      operations.push({
        hash,
        operation: name ?? '(anonymous)',
        document: text,
        coordinates: usedCoordinates(schema, document, name),
      });
  }
  return { operations, problems };
}

/** Replaces `client`'s trusted documents in `env` with the manifest (a parsed JSON value). */
export async function registerDocuments(
  db: Database,
  actor: Actor,
  input: { env: string; client: string; manifest: unknown },
): Promise<RegisterResult> {
  let manifest: ReadonlyMap<string, string>;
  try {
    manifest = manifestOf(input.manifest, 'body.manifest');
  } catch (error) {
    if (error instanceof ManifestError) throw new RegistryError('MANIFEST_INVALID', error.message);
    throw error;
  }
  if (manifest.size > MAX_DOCUMENTS)
    throw new RegistryError(
      'MANIFEST_INVALID',
      `body.manifest holds ${manifest.size} documents: at most ${MAX_DOCUMENTS}`,
    );
  const { env, client } = input;
  return db.transaction(async (tx) => {
    await lockEnvironment(tx, env);
    const [owner] = await tx.query<{ ownerAgency: string | null; manifestHash: string }>(
      `SELECT owner_agency AS "ownerAgency", manifest_hash AS "manifestHash"
         FROM trusted_clients WHERE env = $1 AND client = $2`,
      [env, client],
    );
    assertMayRegister(actor.caller, owner, client);
    const served = await servedSubgraphs(tx, env);
    if (!served.length)
      throw new RegistryError(
        'NOT_FOUND',
        `nothing is published in ${env} yet: trusted documents are validated against its graph`,
      );
    const { operations, problems } = operationsOf(manifest, servedApiSchema(served));
    if (problems.length)
      throw new RegistryError(
        'DOCUMENTS_INVALID',
        `${problems.length} of ${manifest.size} documents do not validate against the graph ${env} serves: ${problems
          .slice(0, 3)
          .map((p) => `${p.hash.slice(0, 12)}: ${p.errors[0]}`)
          .join('; ')}${problems.length > 3 ? '; …' : ''}`,
        {
          documents: problems.slice(0, PROBLEMS_LISTED),
          documentsMore: Math.max(0, problems.length - PROBLEMS_LISTED),
        },
      );
    const manifestHash = sha256([...manifest.keys()].sort().join('\n'));
    const before = await previousOperations(tx, env, client);
    const names = [...new Set(operations.map((o) => o.operation))].sort();
    await storeOperations(tx, actor.caller, { env, client, manifestHash, operations });
    const result: RegisterResult = {
      client,
      registered: owner?.manifestHash !== manifestHash,
      documents: manifest.size,
      operations: names,
      added: names.filter((n) => !before.has(n)),
      removed: [...before].filter((n) => !names.includes(n)).sort(),
      manifestHash,
    };
    // Refreshing the coordinates of the same set against a newer graph is not a registration.
    if (result.registered)
      await appendAuditEntries(tx, actor, [
        {
          kind: 'mutation',
          operation: 'registerTrustedDocuments',
          type: 'TrustedDocuments',
          fields: ['documents'],
          recordIds: [`${env}/${client}`],
          written: {
            env,
            client,
            manifestHash,
            documents: manifest.size,
            added: result.added.slice(0, NAMES_AUDITED),
            removed: result.removed.slice(0, NAMES_AUDITED),
          },
        },
      ]);
    return result;
  });
}

async function previousOperations(tx: Queryable, env: string, client: string): Promise<Set<string>> {
  const rows = await tx.query<{ operation: string }>(
    `SELECT DISTINCT operation FROM trusted_documents WHERE env = $1 AND client = $2`,
    [env, client],
  );
  return new Set(rows.map((r) => r.operation));
}

/** The client's row (owned by the first partner agency to register it) and its new set of operations. */
async function storeOperations(
  tx: Queryable,
  caller: Caller,
  set: { env: string; client: string; manifestHash: string; operations: readonly Operation[] },
): Promise<void> {
  const { env, client } = set;
  await tx.query(
    `INSERT INTO trusted_clients (env, client, owner_agency, manifest_hash, pushed_by, pushed_role)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (env, client) DO UPDATE SET manifest_hash = EXCLUDED.manifest_hash,
       pushed_by = EXCLUDED.pushed_by, pushed_role = EXCLUDED.pushed_role, pushed_at = EXCLUDED.pushed_at`,
    [
      env,
      client,
      caller.role === 'partner' ? caller.agencyCode : null,
      set.manifestHash,
      caller.subject,
      caller.role,
    ],
  );
  await tx.query(`DELETE FROM trusted_documents WHERE env = $1 AND client = $2`, [env, client]);
  if (!set.operations.length) return;
  await tx.query(
    `INSERT INTO trusted_documents (env, client, hash, operation, document, coordinates)
     SELECT $1, $2, x.hash, x.operation, x.document, x.coordinates
       FROM jsonb_to_recordset($3::jsonb) AS x(hash text, operation text, document text, coordinates text[])`,
    [env, client, JSON.stringify(set.operations)],
  );
}
