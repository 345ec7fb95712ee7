/**
 * Mutations the kit records for a subgraph (support/audited-subgraph.ts): each committed mutation exactly
 * once in its own transaction, a rolled-back or refused one never.
 */
import { OFFICIAL, startAuditedSubgraph } from './support/audited-subgraph';
import type { AuditedSubgraph } from './support/audited-subgraph';

let audited: AuditedSubgraph;
let sub: AuditedSubgraph['sub'];
const entries = (): ReturnType<AuditedSubgraph['entries']> => audited.entries();
const request: AuditedSubgraph['request'] = (...args) => audited.request(...args);

beforeAll(async () => {
  audited = await startAuditedSubgraph();
  sub = audited.sub;
});

afterAll(async () => {
  await sub?.close();
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
      // The name the answer shows is personal data disclosed to the caller (kit/runtime/personal-data/protect.ts).
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
