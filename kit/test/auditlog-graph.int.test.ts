/**
 * The audit log in the graph (support/audited-subgraph.ts): the admin-only `<name>AuditLog` and
 * `<name>AuditChain` root fields, filtered, paged, themselves recorded, FORBIDDEN to everyone else.
 */
import { ADMIN, OFFICIAL, startAuditedSubgraph } from './support/audited-subgraph';
import type { AuditedSubgraph } from './support/audited-subgraph';
import type { Caller } from '../runtime/context';

let audited: AuditedSubgraph;
let sub: AuditedSubgraph['sub'];
const entries = (): ReturnType<AuditedSubgraph['entries']> => audited.entries();
const request: AuditedSubgraph['request'] = (...args) => audited.request(...args);
const ask: AuditedSubgraph['ask'] = (...args) => audited.ask(...args);

beforeAll(async () => {
  audited = await startAuditedSubgraph();
  sub = audited.sub;
  // A read of many records, which the filter by operation finds.
  await audited.request(`{ people { id name } }`, OFFICIAL, 'req-read-many');
});

afterAll(async () => {
  await sub?.close();
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
