/** The documents data suite (data-suite.ts), part: Administrative units through the 2025 mergers, and batching: no N+1, entity references in one batch. */
import { THUONG_CAT, issueInput } from './documents';
import type { DocumentsSuite } from './documents';

export function unitTests(suite: DocumentsSuite): void {
  test('administrative units: codes are reused, asOf picks the right one, the crosswalk leads to today', async () => {
    const r = await suite.h.gql(`{
        before: administrativeUnit(code: "00598", asOf: "2020-01-01") { id name parent { name } successors { kind to { name } } }
        after: administrativeUnit(code: "00598", asOf: "2025-08-01") { id name parent { name } predecessors { from { name } } }
      }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.before).toMatchObject({ name: 'Phường Liên Mạc', parent: { name: 'Quận Bắc Từ Liêm' } });
    expect(r.data!.after).toMatchObject({
      name: 'Phường Thượng Cát',
      parent: { name: 'Thành phố Hà Nội' },
    });
    expect(r.data!.before.id).not.toBe(r.data!.after.id);
    expect(r.data!.after.predecessors.map((p: { from: { name: string } }) => p.from.name)).toContain(
      'Phường Liên Mạc',
    );
    const ward = await suite.h.gql(
      `{ agency(code: "000.02.21.H26") { name validTo successors { code name } } }`,
    );
    expect(ward.data!.agency).toMatchObject({
      name: 'Ủy ban nhân dân phường Liên Mạc',
      validTo: '2025-06-30',
    });
    expect(ward.data!.agency.successors).toContainEqual({
      code: THUONG_CAT,
      name: 'Ủy ban nhân dân phường Thượng Cát',
    });
    const cur = await suite.h.gql(
      `{ administrativeUnit(code: "00598", asOf: "2020-01-01") { current(asOf: "2025-08-01") { name } } }`,
    );
    expect(cur.data!.administrativeUnit.current.map((u: { name: string }) => u.name)).toContain(
      'Phường Thượng Cát',
    );
  });

  test('records keep the unit as it was at the event date, across the 2025 mergers', async () => {
    await suite.issue({ input: issueInput({ agencyCode: '000.00.00.H05', issuedDate: '2025-09-01' }) });
    const r = await suite.h.gql(`{
        agency(code: "000.00.00.H05") { name
          then: unit(asOf: "2013-06-01") { code name validTo }
          now: unit { code name validFrom }
          old: documents(first: 1, filter: { direction: OUTGOING, issuedTo: "2014-12-31" }) { nodes { issuedDate issuerUnit { code name } } }
          recent: documents(first: 1, filter: { direction: OUTGOING, issuedFrom: "2025-07-01" }) { nodes { issuerUnit { code name } } }
        }
        ward: agency(code: "000.02.21.H26") { documents(first: 1, filter: { direction: OUTGOING }) { nodes { issuerUnit { name } } } }
      }`);
    expect(r.errors).toBeUndefined();
    const a = r.data!.agency;
    expect(a.then).toEqual({ code: '27', name: 'Tỉnh Bắc Ninh', validTo: '2025-06-30' });
    expect(a.now).toEqual({ code: '24', name: 'Tỉnh Bắc Ninh', validFrom: '2025-07-01' });
    expect(a.old.nodes[0].issuerUnit).toEqual({ code: '27', name: 'Tỉnh Bắc Ninh' });
    expect(a.recent.nodes[0].issuerUnit).toEqual({ code: '24', name: 'Tỉnh Bắc Ninh' });
    expect(r.data!.ward.documents.nodes[0].issuerUnit).toEqual({ name: 'Phường Liên Mạc' });
  });

  test('no N+1: nested lists over many agencies cost the same round trips as over a few', async () => {
    const q = (
      n: number,
    ) => `{ agencies(level: COMMUNE, first: ${n}) { nodes { name parent { name } unit { name }
        documentStats(period: {from: "2020-01-01", to: "2020-12-31"}) { outgoingTotal electronicRatio }
        documents(first: 3) { nodes { numberSymbol issuer { name } issuerUnit { name } recipients { agency { name } } assignments { state } } } } } }`;
    const cost = async (n: number): Promise<number> => {
      const before = suite.h.db.roundTrips;
      const r = await suite.h.gql(q(n));
      expect(r.errors).toBeUndefined();
      expect(r.data!.agencies.nodes).toHaveLength(n);
      return suite.h.db.roundTrips - before;
    };
    const few = await cost(4);
    const many = await cost(50);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(12);
  });

  test('entity references from other subgraphs are resolved in one batch', async () => {
    const reps = ['000.00.21.H26', '000.00.00.H26', '000.00.00.H18', '000.00.00.G12', '000.99.99.H99'].map(
      (code) => ({ __typename: 'Agency', code }),
    );
    const before = suite.h.db.roundTrips;
    const r = await suite.h.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code name level } } }`,
      { r: reps },
    );
    expect(suite.h.db.roundTrips - before).toBe(1);
    expect(r.data!._entities.map((e: { name?: string } | null) => e?.name ?? null)).toEqual([
      'Ủy ban nhân dân quận Bắc Từ Liêm',
      'Ủy ban nhân dân thành phố Hà Nội',
      'Ủy ban nhân dân tỉnh Điện Biên',
      'Bộ Tài chính',
      null,
    ]);
  });
}
