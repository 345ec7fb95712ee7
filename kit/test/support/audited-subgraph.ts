/**
 * A tiny subgraph for the audit-log tests (kit/test/auditlog-*.int.test.ts): people whose `name` is
 * personal data, a mutation that commits and one that rolls back, the audit log's root fields. The kit
 * records everything; the subgraph writes no audit code.
 */
import type { Caller, RequestContext } from '../../runtime/context';
import type { Database } from '../../runtime/db';
import type { SubgraphModule } from '../../runtime/define';
import { conflict, badInput } from '../../runtime/errors';
import { auditLogModule, auditQuerySdl } from '../../runtime/auditlog';
import { referenceCatalogue } from '../../reference/catalogue';
import { withSharedSdl } from '../../runtime/sdl';
import { scalarResolvers } from '../../runtime/scalars';
import { startTestSubgraph } from '../../testing';
import type { TestSubgraph } from '../../testing';

export const OFFICIAL: Caller = {
  subject: 'u-7',
  role: 'official',
  agencyCode: '000.00.21.H26',
  citizenId: null,
  scopes: [],
};
export const ADMIN: Caller = {
  subject: 'admin-1',
  role: 'admin',
  agencyCode: null,
  citizenId: null,
  scopes: [],
};

const sdl = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@policy"])
type Query { person(id: ID!): Person  people: [Person!]!  plain: Int! }
type Mutation {
  renamePerson(input: RenameInput!): Person!
  renameThenFail(input: RenameInput!): Person!
}
input RenameInput { id: ID! name: String! note: String tags: [String!] }
type Person @key(fields: "id") { id: ID! name: String @personalData }
`;

type Ctx = RequestContext<object>;
interface PersonRow {
  id: string;
  name: string;
}

const rename = (ctx: Ctx, id: string, name: string) =>
  ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<PersonRow>(`UPDATE person SET name = $2 WHERE id = $1 RETURNING id, name`, [
      id,
      name,
    ]);
    return row!;
  });

export const people: SubgraphModule<object> = {
  name: 'people',
  port: 0,
  typeDefs: `${withSharedSdl(sdl)}${auditQuerySdl('people')}`,
  createLoaders: () => ({}),
  // The catalogue: an official's agency scope is read from it (kit/runtime/access.ts).
  databaseModules: [auditLogModule, referenceCatalogue],
  // Every person is on the books of OFFICIAL's agency: the kit masks `name` for anyone else and
  // reports each disclosure to the audit trail (kit/runtime/personal-data/protect.ts).
  personalData: {
    Person: (p: PersonRow) => ({ id: p.id, agencyCode: OFFICIAL.agencyCode, citizenId: null }),
  },
  seed: async (db: Database) => {
    await referenceCatalogue.seed(db);
    await db.exec(`CREATE TABLE person (id text PRIMARY KEY, name text NOT NULL);
      INSERT INTO person VALUES ('p1', 'Nguyễn Văn A'), ('p2', 'Trần Thị B'), ('p3', 'Lê Văn C')`);
    return {};
  },
  resolvers: {
    ...scalarResolvers,
    Query: {
      person: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const [row] = await ctx.db.query<PersonRow>(`SELECT id, name FROM person WHERE id = $1`, [id]);
        return row ?? null;
      },
      people: async (_: unknown, __: unknown, ctx: Ctx) =>
        ctx.db.query<PersonRow>(`SELECT id, name FROM person ORDER BY id`),
      plain: () => 1,
    },
    Mutation: {
      renamePerson: async (_: unknown, { input }: { input: { id: string; name: string } }, ctx: Ctx) => {
        if (!input.name.trim()) throw badInput('input.name', 'must not be empty');
        await rename(ctx, input.id, input.name);
        // Read back through ctx.db: the same transaction, so the write is visible.
        const [row] = await ctx.db.query<PersonRow>(`SELECT id, name FROM person WHERE id = $1`, [input.id]);
        return row;
      },
      renameThenFail: async (_: unknown, { input }: { input: { id: string; name: string } }, ctx: Ctx) => {
        await rename(ctx, input.id, input.name);
        throw conflict('changed my mind');
      },
    },
  },
};

export interface EntryRow {
  seq: number;
  requestId: string;
  subject: string | null;
  role: string;
  agencyCode: string | null;
  kind: string;
  operation: string;
  type: string;
  fields: string[];
  recordIds: string[];
}

export interface AuditedSubgraph {
  readonly sub: TestSubgraph;
  /** Every audit_log row, in order. */
  entries(): Promise<EntryRow[]>;
  /** A request with our own x-request-id, as the gateway sends it. */
  request(
    query: string,
    caller: Caller,
    requestId: string,
    variables?: Record<string, unknown>,
  ): Promise<any>;
  /** A query through the subgraph, its answer untyped. */
  ask(query: string, variables: Record<string, unknown>, caller: Caller): Promise<any>;
}

/** The people subgraph on a fresh database (migrated, seeded), with the helpers the tests use. */
export async function startAuditedSubgraph(): Promise<AuditedSubgraph> {
  const sub = await startTestSubgraph(people, { scale: 1 });
  return {
    sub,
    entries: () =>
      sub.db.query<EntryRow>(
        `SELECT seq, request_id AS "requestId", subject, role, agency_code AS "agencyCode", kind, operation, type,
            fields, record_ids AS "recordIds" FROM audit_log ORDER BY seq`,
      ),
    async request(query, caller, requestId, variables = {}) {
      const res = await sub.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { ...(await sub.gatewayHeaders(caller)), 'x-request-id': requestId },
        payload: { query, variables },
      });
      return res.json();
    },
    ask: (query, variables, caller) => sub.gql(query, variables, caller),
  };
}
