/**
 * The mail subgraph's data tests, run against the embedded PostgreSQL (data.int.test.ts) and a
 * PostgreSQL server given by URL (data.services.test.ts): the published figures, ratios equal to the
 * lists counted by hand, masking, batching (round trips) and bad input.
 */
import type { Database } from '../../../../kit';
import { callers, startTestSubgraph } from '../../../../kit/testing';
import type { GqlResult, TestSubgraph } from '../../../../kit/testing';
import { BAC_NINH, BAC_TU_LIEM, DIEN_BIEN_PHU } from '../../seed';
import { mail } from '../../subgraph';

export const TEST_SCALE = 0.05;
const YEAR = (y: number) => ({ from: `${y}-01-01`, to: `${y}-12-31` });
const BA_DINH = '000.00.01.H26';

const STATS = `query($reps: [_Any!]!, $p: PeriodInput!, $sub: Boolean, $days: Int) { _entities(representations: $reps) {
  ... on Agency { code mailStats(period: $p, includeSubordinates: $sub, activeWithinDays: $days) {
    from to activeWithinDays officials mailboxesIssued activeMailboxes officialsWithMailbox regularlyUsed messagesSent
    mailboxCoverage regularUseRatio } } } }`;

type Stats = Record<string, number | null>;

interface ListedOfficial {
  id: string;
  activeFrom: string;
  activeTo: string | null;
  mailbox: {
    status: string;
    createdAt: string;
    closedAt: string | null;
    loginHistory: { on: string }[];
  } | null;
}

const vnDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
const minusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export function mailDataSuite(label: string, open: () => Promise<Database>): void {
  describe(`mail data (${label})`, () => {
    let h: TestSubgraph;
    beforeAll(async () => {
      // An admin: the lists counted by hand read login history, which only admins and the agency's officials see.
      h = await startTestSubgraph(mail, { db: await open(), scale: TEST_SCALE, caller: callers.admin });
    }, 180_000);
    afterAll(async () => h?.close());

    const stats = async (codes: string[], p: { from: string; to: string }, sub = false, days?: number) => {
      const r = await h.gql(STATS, {
        reps: codes.map((code) => ({ __typename: 'Agency', code })),
        p,
        sub,
        days,
      });
      expect(r.errors).toBeUndefined();
      return (r.data!._entities as { code: string; mailStats: Stats }[]).map((e) => e.mailStats);
    };

    /** Every official of an agency on every page, with the mailbox and its last login up to `to`. */
    async function listByHand(code: string, to: string): Promise<ListedOfficial[]> {
      const out: ListedOfficial[] = [];
      let after: string | null = null;
      for (;;) {
        const r: GqlResult = await h.gql(
          `query($code: ID!, $after: String, $to: Date) { officials(agencyCode: $code, first: 100, after: $after) {
            totalCount pageInfo { hasNextPage endCursor }
            nodes { id activeFrom activeTo mailbox { status createdAt closedAt loginHistory(first: 1, until: $to) { on } } } } }`,
          { code, after, to },
        );
        expect(r.errors).toBeUndefined();
        const page = r.data!.officials as {
          totalCount: number;
          nodes: ListedOfficial[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
        out.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) {
          expect(out).toHaveLength(page.totalCount);
          return out;
        }
        after = page.pageInfo.endCursor;
      }
    }

    test('Bắc Từ Liêm 2014: every official has an official mailbox (published figure), wards included', async () => {
      const [own, withWards] = [
        (await stats([BAC_TU_LIEM], YEAR(2014)))[0]!,
        (await stats([BAC_TU_LIEM], YEAR(2014), true))[0]!,
      ];
      expect(own.officials).toBeGreaterThanOrEqual(20);
      expect(own.mailboxCoverage).toBe(1);
      expect(own.officialsWithMailbox).toBe(own.officials);
      expect(withWards.officials).toBe(14 * 20);
      expect(withWards.mailboxCoverage).toBe(1);
      // Before its creation (1 April 2014) it had no officials
      expect((await stats([BAC_TU_LIEM], YEAR(2013)))[0]).toMatchObject({
        officials: 0,
        mailboxCoverage: null,
      });
    });

    test('Bắc Ninh 2013: over 3,600 official mail accounts across the province (published figure)', async () => {
      const [s] = await stats([BAC_NINH], YEAR(2013), true);
      expect(s!.mailboxesIssued).toBeGreaterThan(3_600);
      expect(s!.mailboxesIssued).toBeLessThanOrEqual(s!.officials!);
      const [own] = await stats([BAC_NINH], YEAR(2013));
      expect(own!.mailboxesIssued).toBeLessThan(s!.mailboxesIssued!);
    });

    test('Điện Biên Phủ 2013: 75% of mailboxes in regular use with the default weekly window (published figure)', async () => {
      const [s] = await stats([DIEN_BIEN_PHU], YEAR(2013));
      expect(s).toMatchObject({ activeWithinDays: 7, regularUseRatio: 0.75, to: '2013-12-31' });
      expect(s!.regularlyUsed! / s!.mailboxesIssued!).toBe(0.75);
      const [sub] = await stats([DIEN_BIEN_PHU], YEAR(2013), true);
      expect(sub!.regularUseRatio).toBe(0.75);
      expect(sub!.mailboxesIssued).toBeGreaterThan(s!.mailboxesIssued!);
      // The threshold is a parameter: a one-day window finds fewer, a 90-day window more
      const [day] = await stats([DIEN_BIEN_PHU], YEAR(2013), false, 1);
      const [quarter] = await stats([DIEN_BIEN_PHU], YEAR(2013), false, 90);
      expect(day!.regularlyUsed).toBeLessThan(s!.regularlyUsed!);
      expect(quarter!.regularlyUsed).toBeGreaterThan(s!.regularlyUsed!);
    });

    test.each([
      [DIEN_BIEN_PHU, 2013, 7],
      [BA_DINH, 2019, 7],
      [BA_DINH, 2016, 30],
      [BAC_TU_LIEM, 2022, 7],
    ])(
      '%s %i (window %i days): coverage and regular use equal the lists counted by hand',
      async (code, year, days) => {
        const to = `${year}-12-31`;
        const [s] = await stats([code], YEAR(year), false, days);
        const list = await listByHand(code, to);
        const inPost = list.filter((o) => o.activeFrom <= to && (o.activeTo === null || o.activeTo >= to));
        const activeOn = (m: NonNullable<ListedOfficial['mailbox']>) =>
          vnDay(m.createdAt) <= to && (m.closedAt === null || vnDay(m.closedAt) > to);
        const issued = list
          .map((o) => o.mailbox)
          .filter((m): m is NonNullable<ListedOfficial['mailbox']> => !!m)
          .filter((m) => vnDay(m.createdAt) <= to && !(m.status === 'DELETED' && vnDay(m.closedAt!) <= to));
        const withMailbox = inPost.filter((o) => o.mailbox && activeOn(o.mailbox));
        const regular = issued.filter((m) => m.loginHistory[0] && m.loginHistory[0].on > minusDays(to, days));
        expect(s!.officials).toBe(inPost.length);
        expect(s!.officialsWithMailbox).toBe(withMailbox.length);
        expect(s!.mailboxesIssued).toBe(issued.length);
        expect(s!.regularlyUsed).toBe(regular.length);
        expect(s!.mailboxCoverage).toBe(Math.round((withMailbox.length / inPost.length) * 1e4) / 1e4);
        expect(s!.regularUseRatio).toBe(Math.round((regular.length / issued.length) * 1e4) / 1e4);
        expect(inPost.length).toBeGreaterThan(0);
        expect(regular.length).toBeGreaterThan(0);
      },
    );

    test('adoption grows over the years and differs between agencies', async () => {
      const codes = (
        await h.db.query<{ code: string }>(
          `SELECT code FROM agencies WHERE level <> 'CENTRAL' AND valid_from < '2010-01-01' AND valid_to IS NOT NULL ORDER BY code`,
        )
      ).map((a) => a.code);
      const early = await stats(codes, YEAR(2011));
      const late = await stats(codes, YEAR(2020));
      const sum = (xs: Stats[], k: string) => xs.reduce((t, x) => t + (x[k] as number), 0);
      expect(sum(late, 'officialsWithMailbox')).toBeGreaterThan(sum(early, 'officialsWithMailbox'));
      expect(new Set(early.map((x) => x.mailboxCoverage)).size).toBeGreaterThan(3);
    });

    test('every official the documents and dossiers seeds cite (n = 1..20 of each agency) is in the directory', async () => {
      const [row] = await h.db.query<{ missing: number }>(
        `SELECT count(*)::int AS missing FROM agencies a CROSS JOIN generate_series(1, 20) AS n
         WHERE NOT EXISTS (SELECT 1 FROM officials o WHERE o.id = a.code || '/' || n)`,
      );
      expect(row!.missing).toBe(0);
      const r =
        await h.gql(`{ _entities(representations: [{ __typename: "Official", id: "000.00.94.H18/1" }]) {
        ... on Official { id fullName position employmentType agency { code } mailbox { address status } } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!._entities[0]).toMatchObject({
        id: '000.00.94.H18/1',
        position: 'Chủ tịch',
        employmentType: 'CAN_BO',
        agency: { code: DIEN_BIEN_PHU },
      });
      expect(r.data!._entities[0].mailbox.address).toMatch(/^[a-z]+\d*@dienbien\.gov\.vn$/);
    });

    test('login history is personal data: officials of its agency see it (day, IP), an analyst nothing, another district no mailbox', async () => {
      const [box] = await h.db.query<{ address: string; agency: string }>(
        `SELECT m.sender_address AS address, b.agency_code AS agency FROM messages m JOIN mailboxes b ON b.address = m.sender_address
         GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const PERSONAL = `query($a: String!) { mailbox(address: $a) { address lastLoginOn loginHistory(first: 5) { on ipAddress } } }`;
      const analyst = await h.gql(PERSONAL, { a: box!.address }, callers.analyst);
      expect(analyst.errors).toBeUndefined();
      expect(analyst.data!.mailbox).toEqual({ address: box!.address, lastLoginOn: null, loginHistory: [] });
      // An agency with nothing under it (its scope is itself), not the mailbox's.
      const [leaf] = await h.db.query<{ code: string }>(
        `SELECT a.code FROM agencies a WHERE a.code <> $1
           AND NOT EXISTS (SELECT 1 FROM agencies c WHERE c.parent_code = a.code) ORDER BY a.code LIMIT 1`,
        [box!.agency],
      );
      const other = await h.gql(PERSONAL, { a: box!.address }, callers.official(leaf!.code));
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(other.data!.mailbox).toBeNull();
      const own = await h.gql(PERSONAL, { a: box!.address }, callers.official(box!.agency));
      expect(own.data!.mailbox.loginHistory[0].ipAddress).toMatch(/^10\.\d+\.\d+\.\d+$/);
      const r = await h.gql(
        `query($a: String!) { mailbox(address: $a) { address status quotaMb usedMb lastLoginOn owner { id } loginHistory(first: 5) { on ipAddress } }
          page1: messages(mailbox: $a, first: 2) { nodes { id sender subject sentAt recipients { address kind } attachments { fileName citedDocument { agency { code } year numberSymbol } } }
            pageInfo { hasNextPage endCursor } } }`,
        { a: box!.address.toUpperCase() },
      );
      expect(r.errors).toBeUndefined();
      const m = r.data!.mailbox;
      expect(m.address).toBe(box!.address);
      expect(m.lastLoginOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.loginHistory).toHaveLength(5);
      for (const l of m.loginHistory) {
        expect(l.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(l.ipAddress).toMatch(/^10\.\d+\.\d+\.\d+$/);
      }
      expect(m.loginHistory[0].on).toBe(m.lastLoginOn);
      const raw = await h.db.query<{ ip_address: string }>(
        `SELECT ip_address FROM mailbox_logins WHERE address = $1`,
        [box!.address],
      );
      expect(raw[0]!.ip_address).toMatch(/^10\.\d+\.\d+\.\d+$/);
      const p1 = r.data!.page1;
      expect(p1.nodes).toHaveLength(2);
      expect(p1.nodes[0].sentAt >= p1.nodes[1].sentAt).toBe(true);
      const p2 = await h.gql(
        `query($a: String!, $c: String) { messages(mailbox: $a, first: 2, after: $c) { nodes { id sentAt } } }`,
        {
          a: box!.address,
          c: p1.pageInfo.endCursor,
        },
      );
      expect(p2.errors).toBeUndefined();
      if (p2.data!.messages.nodes.length)
        expect(p2.data!.messages.nodes[0].sentAt <= p1.nodes[1].sentAt).toBe(true);
      const ids = [...p1.nodes, ...p2.data!.messages.nodes].map((n: { id: string }) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      const [cited] = await h.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM message_attachments WHERE cited_number_symbol ~ '^\\d+/[A-ZĐ-]+$'`,
      );
      expect(cited!.n).toBe(417);
    });

    test('no N+1: mailStats of every agency in one round trip; a page of officials with mailboxes in a few', async () => {
      const codes = (await h.db.query<{ code: string }>(`SELECT code FROM agencies ORDER BY code`)).map(
        (a) => a.code,
      );
      expect(codes.length).toBeGreaterThan(40);
      const t0 = h.db.roundTrips;
      const s = await stats(codes, YEAR(2020), true);
      expect(s).toHaveLength(codes.length);
      expect(h.db.roundTrips - t0).toBe(1);
      const t1 = h.db.roundTrips;
      const r = await h.gql(`{ officials(agencyCode: "${BAC_NINH}", includeSubordinates: true, first: 100) {
        nodes { id agency { code } mailbox { address owner { fullName } loginHistory(first: 2) { on } } } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!.officials.nodes).toHaveLength(100);
      // The reads in a few batched queries, plus one INSERT: the admin saw personal data (owners' names,
      // logins) unmasked, and that disclosure is recorded in the audit log before the response.
      expect(h.db.roundTrips - t1).toBeLessThanOrEqual(5);
      const t2 = h.db.roundTrips;
      const e = await h.gql(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency { code officials(first: 3) { totalCount nodes { id } } } } }`,
        {
          reps: codes.map((code) => ({ __typename: 'Agency', code })),
        },
      );
      expect(e.errors).toBeUndefined();
      expect(
        e.data!._entities.every((a: { officials: { nodes: unknown[] } }) => a.officials.nodes.length === 3),
      ).toBe(true);
      expect(h.db.roundTrips - t2).toBe(2);
    });

    test.each([
      ['officials(agencyCode: "H26") { totalCount }', 'agencyCode'],
      ['official(id: "000.00.94.H18/x") { id }', 'id'],
      ['official(id: "nope") { id }', 'id'],
      ['mailbox(address: "not an address") { address }', 'address'],
      ['messages(mailbox: "a@b", first: 1) { nodes { id } }', 'mailbox'],
      ['officials(agencyCode: "000.00.94.H18", first: 1000) { totalCount }', 'first'],
      ['officials(agencyCode: "000.00.94.H18", after: "garbage") { totalCount }', 'after'],
    ])('bad input: %s → BAD_USER_INPUT naming %s', async (q, field) => {
      const r = await h.gql(`{ ${q} }`);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    test.each([
      [{ from: '2013-12-31', to: '2013-01-01' }, 7, 'period'],
      [YEAR(2013), 0, 'activeWithinDays'],
      [YEAR(2013), 400, 'activeWithinDays'],
    ])('bad mailStats input → BAD_USER_INPUT naming the argument', async (p, days, field) => {
      const r = await h.gql(STATS, { reps: [{ __typename: 'Agency', code: DIEN_BIEN_PHU }], p, days });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    test('unknown official and mailbox: null, with no error (docs/api.md, lookups)', async () => {
      const r = await h.gql(`{ official(id: "000.00.94.H18/99999") { id } }`);
      expect(r).toEqual({ data: { official: null } });
      const m = await h.gql(`{ mailbox(address: "khongco@dienbien.gov.vn") { address } }`);
      expect(m).toEqual({ data: { mailbox: null } });
    });
  });
}
