/**
 * Reads of personal data the kit records for a subgraph (a tiny one: support/audited-subgraph.ts): each
 * disclosure in one write per request before the response leaves, failing closed when it cannot be written.
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
