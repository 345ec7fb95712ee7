/**
 * What the kit records for a subgraph without the subgraph writing a line of audit code (a tiny
 * subgraph defined here): personal data a resolver reports as disclosed, in one write per request
 * before the response leaves (fail closed when it cannot be written); each committed mutation exactly
 * once in its own transaction, a rolled-back one never; and the admin-only root fields.
 */
import type { Caller, RequestContext } from '../runtime/context';
import type { Database } from '../runtime/db';
import type { SubgraphModule } from '../runtime/define';
import { conflict, badInput } from '../runtime/errors';
import { auditLogModule, auditQuerySdl } from '../runtime/auditlog';
import { referenceCatalogue } from '../reference/catalogue';
import { withSharedSdl } from '../runtime/sdl';
import { scalarResolvers } from '../runtime/scalars';
import { startTestSubgraph } from '../testing';
import type { TestSubgraph } from '../testing';

const OFFICIAL: Caller = {
  subject: 'u-7',
  role: 'official',
  agencyCode: '000.00.21.H26',
  citizenId: null,
  scopes: [],
};
const ADMIN: Caller = { subject: 'admin-1', role: 'admin', agencyCode: null, citizenId: null, scopes: [] };

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

const people: SubgraphModule<object> = {
  name: 'people',
  port: 0,
  typeDefs: `${withSharedSdl(sdl)}${auditQuerySdl('people')}`,
  createLoaders: () => ({}),
  // The catalogue: an official's agency scope is read from it (kit/access.ts).
  databaseModules: [auditLogModule, referenceCatalogue],
  // Every person is on the books of OFFICIAL's agency: the kit masks `name` for anyone else and
  // reports each disclosure to the audit trail (kit/personal-data.ts).
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

let sub: TestSubgraph;

interface EntryRow {
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

const entries = (): Promise<EntryRow[]> =>
  sub.db.query<EntryRow>(
    `SELECT seq, request_id AS "requestId", subject, role, agency_code AS "agencyCode", kind, operation, type,
            fields, record_ids AS "recordIds" FROM audit_log ORDER BY seq`,
  );

/** A request with our own x-request-id, as the gateway sends it. */
async function request(query: string, caller: Caller, requestId: string, variables = {}) {
  const res = await sub.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { ...(await sub.gatewayHeaders(caller)), 'x-request-id': requestId },
    payload: { query, variables },
  });
  return res.json();
}

/** A query through the subgraph, its answer untyped. */
const ask = (query: string, variables: Record<string, unknown>, caller: Caller): Promise<any> =>
  sub.gql(query, variables, caller);

beforeAll(async () => {
  sub = await startTestSubgraph(people, { scale: 1 });
});

afterAll(async () => {
  await sub?.close();
});

describe('reads of personal data', () => {
  test('a disclosure is recorded with who, role, agency, request id, operation, type, fields and ids', async () => {
    const before = (await entries()).length;
    const res = await request(`{ person(id: "p1") { name } }`, OFFICIAL, 'req-read-1');
    expect(res).toEqual({ data: { person: { name: 'Nguyễn Văn A' } } });
    expect((await entries()).slice(before)).toEqual([
      {
        seq: before + 1,
        requestId: 'req-read-1',
        subject: 'u-7',
        role: 'official',
        agencyCode: '000.00.21.H26',
        kind: 'read',
        operation: 'person',
        type: 'Person',
        fields: ['name'],
        recordIds: ['p1'],
      },
    ]);
  });

  test('many records disclosed by one request are written in one round trip, no value stored', async () => {
    const before = (await entries()).length;
    const trips = sub.db.roundTrips;
    const res = await request(`{ people { id name } }`, OFFICIAL, 'req-read-many');
    expect(res.data.people).toHaveLength(3);
    expect(sub.db.roundTrips - trips).toBe(3); // the resolver's SELECT, the official's agency scope (once), the audit INSERT
    const added = (await entries()).slice(before);
    expect(added).toMatchObject([{ operation: 'people', fields: ['name'], recordIds: ['p1', 'p2', 'p3'] }]);
    const text = JSON.stringify(await sub.db.query(`SELECT * FROM audit_log`));
    expect(text).not.toMatch(/Nguyễn|Trần|Lê Văn/);
  });

  test('concurrent requests share INSERTs (group commit), each still recorded before its response', async () => {
    const before = (await entries()).length;
    const trips = sub.db.roundTrips;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(`{ person(id: "p${(i % 3) + 1}") { name } }`, OFFICIAL, `c-${i}`),
      ),
    );
    expect(answers.every((a) => a.data.person.name)).toBe(true);
    const added = (await entries()).slice(before);
    expect(added.map((e) => e.requestId).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c-${i}`).sort(),
    );
    // minus the resolvers' SELECTs, each request's read of the official's agency scope, and entries()
    const inserts = sub.db.roundTrips - trips - 10 - 10 - 1;
    expect(inserts).toBeGreaterThanOrEqual(1);
    expect(inserts).toBeLessThan(10);
  });

  test('a request that discloses nothing writes nothing', async () => {
    const before = (await entries()).length;
    const trips = sub.db.roundTrips;
    expect(await request(`{ plain }`, OFFICIAL, 'req-plain')).toEqual({ data: { plain: 1 } });
    expect(sub.db.roundTrips).toBe(trips);
    expect(await entries()).toHaveLength(before);
  });

  test('when the entry cannot be written, the response is withheld (fail closed)', async () => {
    await sub.adminDb.exec(`ALTER TABLE audit_log ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    try {
      const res = await request(`{ person(id: "p2") { name } }`, OFFICIAL, 'req-fail');
      expect(res).toEqual({
        data: null,
        errors: [
          {
            message: 'The response was withheld: it could not be recorded in the audit log',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      expect(JSON.stringify(res)).not.toContain('Trần');
    } finally {
      await sub.adminDb.exec(`ALTER TABLE audit_log DROP CONSTRAINT refuse_all`);
    }
  });
});

describe('mutations', () => {
  test('a committed mutation has exactly one mutation entry (field, input field names, the record key), and the personal data of its answer a read entry', async () => {
    const before = (await entries()).length;
    const trips = sub.db.roundTrips;
    const res = await request(
      `mutation($i: RenameInput!) { renamePerson(input: $i) { id name } }`,
      OFFICIAL,
      'req-mut-1',
      { i: { id: 'p3', name: 'Lê Văn Cường', tags: ['x'] } },
    );
    expect(res).toEqual({ data: { renamePerson: { id: 'p3', name: 'Lê Văn Cường' } } });
    // The resolver's own 4 (its transaction, now a savepoint: SAVEPOINT, UPDATE, RELEASE; the SELECT),
    // the official's agency scope (to show `name` unmasked), and 4 for the record: BEGIN, the mutation's
    // INSERT, the disclosure's INSERT, COMMIT.
    expect(sub.db.roundTrips - trips).toBe(9);
    const added = (await entries()).slice(before);
    expect(added).toEqual([
      {
        seq: before + 1,
        requestId: 'req-mut-1',
        subject: 'u-7',
        role: 'official',
        agencyCode: '000.00.21.H26',
        kind: 'mutation',
        operation: 'renamePerson',
        type: 'Person',
        fields: ['input.id', 'input.name', 'input.tags'],
        recordIds: ['p3'],
      },
      // The name the answer shows is personal data disclosed to the caller (kit/personal-data.ts).
      expect.objectContaining({
        requestId: 'req-mut-1',
        kind: 'read',
        type: 'Person',
        fields: ['name'],
        recordIds: ['p3'],
      }),
    ]);
    expect(JSON.stringify(added)).not.toContain('Cường'); // names of fields, never their values
  });

  test('a mutation that rolls back leaves no entry and no write', async () => {
    const before = (await entries()).length;
    const res = await request(
      `mutation { renameThenFail(input: { id: "p1", name: "Someone Else" }) { id } }`,
      OFFICIAL,
      'req-mut-2',
    );
    expect(res.errors[0].extensions.code).toBe('CONFLICT');
    expect(await entries()).toHaveLength(before);
    expect(await sub.db.query(`SELECT name FROM person WHERE id = 'p1'`)).toEqual([{ name: 'Nguyễn Văn A' }]);
  });

  test('a mutation refused before any write leaves no entry', async () => {
    const before = (await entries()).length;
    const res = await request(
      `mutation { renamePerson(input: { id: "p1", name: " " }) { id } }`,
      OFFICIAL,
      'r',
    );
    expect(res.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(await entries()).toHaveLength(before);
  });

  test('when the entry cannot be written, the mutation rolls back and fails', async () => {
    const before = (await entries()).length;
    await sub.adminDb.exec(`ALTER TABLE audit_log ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    try {
      const res = await request(
        `mutation { renamePerson(input: { id: "p2", name: "Nobody" }) { id } }`,
        OFFICIAL,
        'r',
      );
      expect(res.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(res.data).toBeNull();
    } finally {
      await sub.adminDb.exec(`ALTER TABLE audit_log DROP CONSTRAINT refuse_all`);
    }
    expect(await sub.db.query(`SELECT name FROM person WHERE id = 'p2'`)).toEqual([{ name: 'Trần Thị B' }]);
    expect(await entries()).toHaveLength(before);
  });
});

describe('the audit log in the graph', () => {
  const LOG = `query($f: AuditLogFilter, $first: Int, $after: String) {
    peopleAuditLog(filter: $f, first: $first, after: $after) {
      nodes { seq requestId subject role agencyCode kind operation type fields recordIds hash prevHash at }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  beforeAll(async () => {
    await request(
      `mutation { renamePerson(input: { id: "p2", name: "Trần Thị Bình" }) { id } }`,
      ADMIN,
      'g-1',
    );
    await request(`{ person(id: "p2") { name } }`, OFFICIAL, 'g-2');
  });

  test('admins list entries newest first, filtered by kind, operation, record id, subject and time', async () => {
    const all = await ask(LOG, {}, ADMIN);
    const nodes = all.data.peopleAuditLog.nodes;
    expect(nodes[0]).toMatchObject({
      requestId: 'g-2',
      kind: 'READ',
      operation: 'person',
      recordIds: ['p2'],
    });
    expect(nodes.map((n: { seq: string }) => Number(n.seq))).toEqual(
      [...nodes.map((n: { seq: string }) => Number(n.seq))].sort((a, b) => b - a),
    );
    const mut = await ask(LOG, { f: { kind: 'MUTATION', recordId: 'p2', subject: 'admin-1' } }, ADMIN);
    expect(mut.data.peopleAuditLog.nodes).toEqual([
      expect.objectContaining({ requestId: 'g-1', role: 'admin', operation: 'renamePerson', type: 'Person' }),
    ]);
    const byOp = await ask(LOG, { f: { operation: 'people' } }, ADMIN);
    expect(byOp.data.peopleAuditLog.nodes.map((n: { requestId: string }) => n.requestId)).toEqual([
      'req-read-many',
    ]);
    const future = await ask(LOG, { f: { from: '2100-01-01T00:00:00Z' } }, ADMIN);
    expect(future.data.peopleAuditLog.nodes).toEqual([]);
    const past = await ask(LOG, { f: { to: nodes.at(-1).at } }, ADMIN);
    expect(past.data.peopleAuditLog.nodes).toEqual([]);
  });

  test('an admin listing the log is itself recorded: who read which entries’ actors', async () => {
    const listed = await ask(LOG, { first: 3 }, ADMIN);
    const seqs = listed.data.peopleAuditLog.nodes.map((n: { seq: string }) => n.seq);
    expect(seqs).toHaveLength(3);
    const [own] = (await entries()).slice(-1);
    expect(own).toMatchObject({
      subject: 'admin-1',
      role: 'admin',
      kind: 'read',
      operation: 'peopleAuditLog',
      type: 'AuditEntry',
      fields: ['agencyCode', 'subject'],
      recordIds: seqs,
    });
  });

  test('pages follow with the cursor', async () => {
    const first = await ask(LOG, { first: 2 }, ADMIN);
    const page1 = first.data.peopleAuditLog;
    expect(page1.nodes).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await ask(LOG, { first: 2, after: page1.pageInfo.endCursor }, ADMIN);
    expect(Number(second.data.peopleAuditLog.nodes[0].seq)).toBe(Number(page1.nodes[1].seq) - 1);
    const bad = await ask(LOG, { after: 'nope' }, ADMIN);
    expect(bad.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  test('the chain verifies through the graph', async () => {
    const res = await ask(
      `{ peopleAuditChain { ok entries firstBrokenSeq problem headSeq headHash } }`,
      {},
      ADMIN,
    );
    const n = (await entries()).length;
    expect(res.data.peopleAuditChain).toMatchObject({
      ok: true,
      entries: n,
      firstBrokenSeq: null,
      headSeq: String(n),
    });
    expect(res.data.peopleAuditChain.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each(['anonymous', 'citizen', 'official', 'analyst', 'partner'] as const)(
    'a %s caller gets FORBIDDEN and no entries',
    async (role) => {
      const caller: Caller = { ...OFFICIAL, role };
      for (const field of ['peopleAuditLog { nodes { seq } }', 'peopleAuditChain { ok }']) {
        const res = await ask(`{ ${field} }`, {}, caller);
        expect(res.data).toBeNull();
        expect(res.errors).toEqual([
          expect.objectContaining({
            message: 'the audit log is open to administrators only',
            extensions: { code: 'FORBIDDEN' },
          }),
        ]);
      }
    },
  );
});
