/**
 * dossierStats reads only the dossiers that can count (open ones, and closed ones received within the
 * longest stay of any closed dossier before the period): its grid must still equal the grid counted by
 * hand from every dossier — here in TypeScript, from the rows — for every agency, year, a month, with
 * subordinates, after a dossier is made to stay three years, and right after a receipt (no cache).
 */
import { callers, createTestDatabase, startTestSubgraph } from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import type { Queryable } from '../../../kit';
import { dossierStats } from '../db/stats';
import { dossiers } from '../subgraph';
import { TEST_SCALE } from './support/data-suite';
import { LAP_THACH, RECEIVE, receiveInput } from './support/fixtures';

const GRID = `carriedOver received receivedOnline receivedInPerson receivedByPost resolved resolvedEarly resolvedOnTime
  resolvedLate inProcessWithinDeadline inProcessOverdue pausedForSupplement pausedForPayment stopped withdrawn`;
const STATS = `query($reps: [_Any!]!, $p: PeriodInput!, $sub: Boolean) { _entities(representations: $reps) {
  ... on Agency { code dossierStats(period: $p, includeSubordinates: $sub) { ${GRID} onTimeRatio onlineRatio } } } }`;

interface Fact {
  agency: string;
  channel: string;
  status: string;
  due: string;
  received: string;
  finished: string | null;
  ended: string | null;
  /** Day and status of each processing step, in order. */
  steps: [string, string][];
}

type Grid = Record<string, number>;

let h: TestSubgraph;
let today: string;
beforeAll(async () => {
  h = await startTestSubgraph(dossiers, { db: await createTestDatabase('embedded'), scale: TEST_SCALE });
  [{ today }] = await h.db.query<{ today: string }>('SELECT CURRENT_DATE::text AS today');
}, 180_000);
afterAll(async () => h?.close());

async function facts(): Promise<Fact[]> {
  return h.db.query<Fact>(
    `SELECT d.agency_code AS agency, d.channel, d.status, d.due_date::text AS due,
       d.received_at::date::text AS received, d.finished_at::date::text AS finished, d.ended_at::date::text AS ended,
       coalesce((SELECT json_agg(json_build_array(s.at::date::text, s.status) ORDER BY s.seq)
                 FROM dossier_steps s WHERE s.dossier_id = d.id), '[]') AS steps
     FROM dossiers d`,
  );
}

/** The report grid of the dossiers of `members`, counted one by one as docs/systems/dossiers.md defines it. */
function byHand(all: Fact[], members: Set<string>, from: string, to: string): Grid {
  const cut = to < today ? to : today;
  const g: Grid = Object.fromEntries(GRID.split(/\s+/).map((k) => [k, 0]));
  for (const d of all) {
    if (!members.has(d.agency) || d.status === 'KHONG_DUOC_TIEP_NHAN' || d.received > to) continue;
    if ((d.finished && d.finished < from) || (d.ended && d.ended < from)) continue;
    if (d.received < from) g.carriedOver!++;
    else {
      g.received!++;
      const by = { TRUC_TUYEN: 'receivedOnline', TRUC_TIEP: 'receivedInPerson', BUU_CHINH: 'receivedByPost' };
      g[by[d.channel as keyof typeof by]]!++;
    }
    if (d.finished && d.finished <= to) {
      g.resolved!++;
      g[d.finished < d.due ? 'resolvedEarly' : d.finished === d.due ? 'resolvedOnTime' : 'resolvedLate']!++;
    }
    if ((!d.finished || d.finished > cut) && (!d.ended || d.ended > cut)) {
      const atEnd = d.steps.filter(([day]) => day <= cut).pop()?.[1];
      if (atEnd === 'YEU_CAU_BO_SUNG_GIAY_TO') g.pausedForSupplement!++;
      else if (atEnd === 'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH') g.pausedForPayment!++;
      else if (atEnd) g[d.due >= cut ? 'inProcessWithinDeadline' : 'inProcessOverdue']!++;
    }
    if (d.ended && d.ended <= to && d.status === 'DUNG_XU_LY') g.stopped!++;
    if (d.ended && d.ended <= to && d.status === 'CONG_DAN_RUT_HO_SO') g.withdrawn!++;
  }
  return g;
}

async function compare(codes: string[], from: string, to: string, sub: boolean): Promise<number> {
  const all = await facts();
  const r = await h.gql(STATS, {
    reps: codes.map((code) => ({ __typename: 'Agency', code })),
    p: { from, to },
    sub,
  });
  expect(r.errors).toBeUndefined();
  let counted = 0;
  for (const e of r.data!._entities as { code: string; dossierStats: Record<string, number | null> }[]) {
    const members = sub
      ? (await h.db.query<{ c: string }>('SELECT c FROM catalogue_agency_subtree($1) AS t(c)', [e.code])).map(
          (m) => m.c,
        )
      : [e.code];
    const { onTimeRatio, onlineRatio, ...grid } = e.dossierStats;
    const want = byHand(all, new Set(members), from, to);
    expect({ code: e.code, from, to, ...grid }).toEqual({ code: e.code, from, to, ...want });
    const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 1e4) / 1e4 : null);
    expect(onTimeRatio).toBe(ratio(want.resolvedEarly! + want.resolvedOnTime!, want.resolved!));
    expect(onlineRatio).toBe(ratio(want.receivedOnline!, want.received!));
    counted += want.received! + want.carriedOver!;
  }
  return counted;
}

const agencies = async (where = 'TRUE'): Promise<string[]> =>
  (
    await h.db.query<{ code: string }>(
      `SELECT DISTINCT agency_code AS code FROM dossiers WHERE ${where} ORDER BY 1`,
    )
  ).map((r) => r.code);

test('every agency, every year and a month: the grid equals the dossiers counted by hand', async () => {
  const codes = await agencies();
  expect(codes.length).toBeGreaterThan(40);
  let counted = 0;
  for (let year = 2013; year <= 2026; year++)
    counted += await compare(codes, `${year}-01-01`, `${year}-12-31`, false);
  counted += await compare(codes, '2019-03-01', '2019-03-31', false);
  expect(counted).toBeGreaterThan(1000); // the comparison compared something
}, 120_000);

test('with subordinates: districts and provinces', async () => {
  const roots = (
    await h.db.query<{ code: string }>(
      `SELECT code FROM agencies WHERE level IN ('DISTRICT', 'PROVINCE') ORDER BY code`,
    )
  ).map((r) => r.code);
  for (const year of [2014, 2020, 2025]) await compare(roots, `${year}-01-01`, `${year}-12-31`, true);
}, 60_000);

test('a dossier that stayed three years still counts in every year of its stay', async () => {
  const [d] = await h.db.query<{ id: number; agency: string }>(
    `UPDATE dossiers SET received_at = received_at - interval '3 years'
     WHERE id = (SELECT min(id) FROM dossiers WHERE finished_at >= '2024-01-01' AND agency_code = $1)
     RETURNING id, agency_code AS agency`,
    [LAP_THACH],
  );
  expect(d).toEqual({ id: 1223, agency: LAP_THACH });
  for (let year = 2020; year <= 2025; year++)
    await compare([LAP_THACH], `${year}-01-01`, `${year}-12-31`, false);
  // The longest stay is read live: a period that starts before the stay's end sees it carried over.
  const mid = await h.gql(STATS, {
    reps: [{ __typename: 'Agency', code: LAP_THACH }],
    p: { from: '2023-06-01', to: '2023-06-30' },
  });
  expect(mid.data!._entities[0].dossierStats.carriedOver).toBe(1);
});

test("a receipt counts at once in its agency's stats, with and without subordinates", async () => {
  const p = { from: '2024-02-01', to: '2024-02-29' };
  const read = async (sub: boolean) =>
    (await h.gql(STATS, { reps: [{ __typename: 'Agency', code: LAP_THACH }], p, sub })).data!._entities[0]
      .dossierStats as Grid;
  const [own, withSub] = [await read(false), await read(true)];
  const r = await h.gql(
    RECEIVE,
    { input: receiveInput({ receivedAt: '2024-02-07T10:00:00+07:00' }) },
    callers.official(LAP_THACH),
  );
  expect(r.errors).toBeUndefined();
  expect((await read(false)).received).toBe(own.received! + 1);
  expect((await read(false)).receivedInPerson).toBe(own.receivedInPerson! + 1);
  expect((await read(true)).received).toBe(withSub.received! + 1);
  await compare([LAP_THACH], p.from, p.to, false);
});

/**
 * One dossierStats call for `agency` in 2025 on a handle that runs `afterProbe` (with the probes so
 * far) right after each longest-stay probe answers: records broken while the call runs. Returns the
 * probes; the grid must still equal the one counted by hand afterwards.
 */
async function statsWhileRacing(
  agency: string,
  afterProbe: (probes: readonly number[]) => Promise<unknown>,
): Promise<number[]> {
  const probes: number[] = [];
  const racing: Queryable = {
    async query<T>(sql: string, params?: readonly unknown[]) {
      const rows = await h.db.query<T>(sql, params);
      if (sql.includes('AS longest')) {
        probes.push((rows[0] as { longest: number }).longest);
        await afterProbe(probes);
      }
      return rows;
    },
    exec: (sql) => h.db.exec(sql),
  };
  const [row] = await dossierStats(racing, [agency], {
    from: '2025-01-01',
    to: '2025-12-31',
    includeSubordinates: false,
  });
  const want = byHand(await facts(), new Set([agency]), '2025-01-01', '2025-12-31');
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, Number(row![k as keyof typeof row])]));
  expect(got).toEqual(want);
  expect(want.carriedOver).toBeGreaterThan(0);
  return probes;
}

test('a record stay closed between the longest-stay probe and the grid is not left out', async () => {
  // The race, made to happen: right after the first probe answers, a dossier of another agency is
  // made to have stayed eight years (received 2017, finished in 2025), longer than any before.
  const [target] = await h.db.query<{ id: number; agency: string }>(
    `SELECT min(id) AS id, min(agency_code) AS agency FROM dossiers
     WHERE finished_at >= '2025-01-01' AND finished_at < '2025-12-01' AND agency_code <> $1
       AND agency_code = (SELECT min(agency_code) FROM dossiers WHERE finished_at >= '2025-01-01' AND agency_code <> $1)`,
    [LAP_THACH],
  );
  const probes = await statsWhileRacing(target!.agency, async (seen) => {
    if (seen.length === 1)
      await h.db.query(`UPDATE dossiers SET received_at = received_at - interval '8 years' WHERE id = $1`, [
        target!.id,
      ]);
  });
  // The second probe saw the new record, so the grid ran again; the third found nothing newer.
  expect(probes).toHaveLength(3);
  expect(probes[1]).toBeGreaterThan(probes[0]! + 365 * 4);
  expect(probes[2]).toBe(probes[1]);
});

test('records broken again and again during the call end in one grid over every year, still exact', async () => {
  const [target] = await h.db.query<{ id: number; agency: string }>(
    `SELECT id, agency_code AS agency FROM dossiers
     WHERE finished_at >= '2025-01-01' AND finished_at < '2025-12-01' AND agency_code <> $1
     ORDER BY agency_code DESC, id LIMIT 1`,
    [LAP_THACH],
  );
  // After each probe, the dossier is made to have stayed 400 days longer than the longest stay so far.
  const probes = await statsWhileRacing(target!.agency, (seen) =>
    h.db.query(
      `UPDATE dossiers SET received_at = coalesce(finished_at, ended_at) - make_interval(days => $2 + 400)
       WHERE id = $1`,
      [target!.id, seen.at(-1)],
    ),
  );
  // The first probe and three after it, each seeing a new record; then the grid over every year.
  expect(probes).toHaveLength(4);
  expect(probes).toEqual([...probes].sort((a, b) => a - b));
  expect(new Set(probes).size).toBe(4);
});
