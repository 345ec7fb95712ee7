/**
 * Domain events of the land subgraph (kit/events, docs/events.md): registering a land change writes
 * one `LandChangeRegistered` in its transaction, naming the holders before and after as the citizens
 * it is about; a change refused after its first rows were written (a merge of parcels held by
 * different households) rolls back with no event.
 */
import { createTestDatabase, lastOutboxSeq, outboxEvents } from '../../../kit/testing';
import { BAC_TU_LIEM, LAP_THACH, writeHelpers } from './support/fixtures';
import { openHarness } from './support/harness';
import type { Harness } from './support/harness';

const HANOI = '000.00.00.H26';
let h: Harness;
beforeAll(async () => {
  h = await openHarness(await createTestDatabase());
}, 180_000);
afterAll(async () => h?.close());

const { change } = writeHelpers(() => h);

test('a transfer writes exactly one LandChangeRegistered with the holders before and after', async () => {
  const parcelId = '00595/1/1';
  const before = await h.db.query<{ idNumber: string }>(
    `SELECT DISTINCT hh.id_number AS "idNumber" FROM land_certificates c
     JOIN land_certificate_holders hh ON hh.certificate_id = c.id
     WHERE c.parcel_id = $1 AND c.cancelled_on IS NULL AND hh.id_number IS NOT NULL`,
    [parcelId],
  );
  const since = await lastOutboxSeq(h.db);
  const r = await change({
    kind: 'TRANSFER',
    date: '2025-06-17',
    parcelIds: [parcelId],
    newHolders: [
      {
        fullName: 'Nguyễn Văn A',
        birthYear: 1985,
        idNumber: '001085012345',
        address: 'Số 5, Phường Thượng Cát',
      },
    ],
  });
  expect(r.errors).toBeUndefined();
  const changeId = r.data!.registerLandChange.id as string;
  const events = await outboxEvents(h.db, since);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    type: 'LandChangeRegistered',
    entity: { typename: 'LandChange', key: { id: changeId } },
    agencyCode: BAC_TU_LIEM,
    agencyPath: [BAC_TU_LIEM, HANOI],
    data: {
      id: changeId,
      kind: 'TRANSFER',
      date: '2025-06-17',
      dossierCode: r.data!.registerLandChange.dossier.code,
      fromParcelIds: [parcelId],
      toParcelIds: [parcelId],
    },
  });
  expect([...events[0]!.citizenIds].sort()).toEqual(
    [...new Set(['001085012345', ...before.map((b) => b.idNumber)])].sort(),
  );
  expect(events[0]!.data.cancelledCertificateIds).toHaveLength(1);
  expect(events[0]!.data.issuedCertificateIds).toHaveLength(1);
});

test('a change refused after its first rows were written writes no event', async () => {
  const since = await lastOutboxSeq(h.db);
  const [a, b] = ['08761/1/1', '08761/1/2'];
  const merge = await change(
    { kind: 'MERGE', date: '2025-06-18', parcelIds: [a, b], results: [{ area: '1.0' }] },
    LAP_THACH,
  );
  // The areas are checked after the change row is written: the rollback takes the row, and the event.
  expect(merge.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.results' });
  expect(await outboxEvents(h.db, since)).toEqual([]);
});
