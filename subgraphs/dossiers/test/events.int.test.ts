/**
 * Domain events of the dossiers subgraph (kit/events, docs/events.md): receiving a dossier and moving
 * its status each write exactly one `DossierStatusChanged` in the mutation's transaction, with what a
 * receiver needs to apply the row rules (the agency and every agency above it, the applicant's
 * citizen id). A refused change writes none, and so does one rolled back at COMMIT, after its event
 * was already written.
 */
import type { Database } from '../../../kit';
import {
  callers,
  createTestDatabase,
  lastOutboxSeq,
  outboxEvents,
  startTestSubgraph,
} from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { dossiers } from '../subgraph';

const LAP_THACH = '000.00.46.H62';
const VINH_PHUC = '000.00.00.H62'; // Lập Thạch's province
const CITIZEN = '026090000123';
const RECEIVE = `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code status } }`;
const ADVANCE = `mutation($i: AdvanceDossierStatusInput!) { advanceDossierStatus(input: $i) { code status } }`;

let db: Database;
let sg: TestSubgraph;

beforeAll(async () => {
  db = await createTestDatabase();
  sg = await startTestSubgraph(dossiers, { db, scale: 0.05, caller: callers.official(LAP_THACH) });
}, 180_000);
afterAll(async () => {
  await sg?.close();
});

const receive = (summary: string) =>
  sg.gql(RECEIVE, {
    i: {
      agencyCode: LAP_THACH,
      procedureCode: '1.000656',
      channel: 'TRUC_TIEP',
      summary,
      applicant: { kind: 'CONG_DAN', name: 'Nguyễn Văn Bình', idNumber: CITIZEN },
      receivedAt: '2025-03-03T08:15:00+07:00',
    },
  });

test('a receipt and a status change each write exactly one DossierStatusChanged, shaped for the row rules', async () => {
  const since = await lastOutboxSeq(db);
  const r = await receive('Hồ sơ có sự kiện');
  expect(r.errors).toBeUndefined();
  const code = r.data!.receiveDossier.code as string;
  const a = await sg.gql(ADVANCE, { i: { code, status: 'DANG_XU_LY', at: '2025-03-04T10:00:00+07:00' } });
  expect(a.errors).toBeUndefined();

  const events = await outboxEvents(db, since);
  expect(events).toHaveLength(2);
  const common = {
    type: 'DossierStatusChanged',
    entity: { typename: 'Dossier', key: { code } },
    agencyCode: LAP_THACH,
    agencyPath: [LAP_THACH, VINH_PHUC],
    citizenIds: [CITIZEN],
    delivered: false,
    attempts: 0,
  };
  expect(events[0]).toMatchObject({
    ...common,
    data: { code, from: null, to: 'DUOC_TIEP_NHAN', statusCode: 2, at: '2025-03-03T01:15:00.000Z' },
  });
  expect(events[1]).toMatchObject({
    ...common,
    data: { code, from: 'DUOC_TIEP_NHAN', to: 'DANG_XU_LY', statusCode: 4, at: '2025-03-04T03:00:00.000Z' },
  });
  expect(events[0]!.data.procedureCode).toEqual(expect.stringContaining('1.000656'));
  // Stable, distinct ids (UUIDs) for receivers to de-duplicate by.
  expect(events.map((e) => e.id)).toEqual([
    expect.stringMatching(/^[0-9a-f-]{36}$/),
    expect.stringMatching(/^[0-9a-f-]{36}$/),
  ]);
  expect(events[0]!.id).not.toBe(events[1]!.id);
});

test('a refused change writes no event; neither does one rolled back at COMMIT after writing its event', async () => {
  const r = await receive('Hồ sơ bị từ chối chuyển');
  const code = r.data!.receiveDossier.code as string;
  const since = await lastOutboxSeq(db);
  const illegal = await sg.gql(ADVANCE, {
    i: { code, status: 'DA_TRA_KET_QUA', at: '2025-03-04T10:00:00+07:00' },
  });
  expect(illegal.errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
  expect(await outboxEvents(db, since)).toEqual([]);

  // A constraint checked at COMMIT fails the transaction after the dossier, its step and its event
  // were all written: the whole of it rolls back, the event with it.
  await db.exec(`
    CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
    CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT OR UPDATE ON dossiers
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.summary LIKE '%[commit fails]%')
      EXECUTE FUNCTION test_fail_at_commit();`);
  try {
    const count = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers`))[0]!.n;
    const dossiersBefore = await count();
    const failed = await receive('Hồ sơ [commit fails]');
    expect(failed.data).toBeNull();
    expect(failed.errors).toHaveLength(1);
    expect(JSON.stringify(failed.errors)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(await count()).toBe(dossiersBefore);
    expect(await outboxEvents(db, since)).toEqual([]);
  } finally {
    await db.exec(`DROP TRIGGER test_fail_at_commit ON dossiers; DROP FUNCTION test_fail_at_commit();`);
  }
  // And the next good change writes its one event.
  const ok = await sg.gql(ADVANCE, { i: { code, status: 'DANG_XU_LY', at: '2025-03-04T11:00:00+07:00' } });
  expect(ok.errors).toBeUndefined();
  expect((await outboxEvents(db, since)).map((e) => e.data.to)).toEqual(['DANG_XU_LY']);
});
