/**
 * Deterministic seed of the mail subgraph (seeded PRNG; same scale, same data).
 *
 * Every agency of the reference catalogue gets its directory of officials (directory.ts), their mailboxes
 * issued as the agency took up official e-mail, their login history and message metadata (usage.ts).
 * Published figures come out exactly: Bắc Từ Liêm 2014, every official has a mailbox; Bắc Ninh 2013,
 * over 3,600 accounts (its directory is the whole provincial apparatus: accounts beyond the active
 * staff carry no login history or messages); Điện Biên Phủ 2013, 75% of mailboxes in regular use.
 *
 * Scale: `scale` multiplies officials per agency above the 20 every agency has, and messages
 * (1 ≈ 6,100 officials, 2,500 of them with traffic, 970,000 logins, 40,000 messages; tests use 0.05).
 */
import { AGENCIES, insertRows, referenceCatalogue } from '../../../kit';
import { Prng } from '../../../kit/synthetic';
import type { CatalogueSeedResult, Database, InsertOf, Queryable } from '../../../kit';
import { mailboxes, messageAttachments, messageRecipients, messages, officials } from '../db/tables';
import { activeStaff, Addresses, headcount, officialRow } from './directory';
import type { OfficialInsert } from './directory';
import { MessageWriter } from './messages';
import {
  dayNum,
  dayStr,
  homeIp,
  LOGIN_FROM_YEAR,
  planMailbox,
  profileOf,
  PUBLISHED_REGULAR_USE,
  regularShare,
  loginSpell,
  SEED_NOW,
  under,
} from './usage';
import type { LoginSpell, SeedBox } from './usage';

export { BAC_NINH } from './directory';
export { BAC_TU_LIEM, DIEN_BIEN_PHU, SEED_NOW } from './usage';

export interface SeedResult {
  catalogue: CatalogueSeedResult | null;
  officials: number;
  mailboxes: number;
  logins: number;
  messages: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM officials');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    return { catalogue, ...(await seedMail(tx, scale)) };
  });
}

type MailboxInsert = InsertOf<typeof mailboxes>;

const LAST_YEAR = Number(SEED_NOW.slice(0, 4));

async function seedMail(tx: Queryable, scale: number) {
  const byCode = new Map(AGENCIES.map((a) => [a.code, a]));
  const addresses = new Addresses();
  const officialRows: OfficialInsert[] = [];
  const boxRows: MailboxInsert[] = [];
  const spells: LoginSpell[] = [];
  const writer = new MessageWriter(scale);
  for (const a of AGENCIES) {
    const r = new Prng(`mail:agency:${a.code}`);
    const profile = profileOf(a, byCode);
    const staff = activeStaff(a, scale);
    const boxes: SeedBox[] = [];
    for (let n = 1; n <= headcount(a, scale); n++) {
      const o = officialRow(a, n, r.next(), (xs) => r.pick(xs));
      officialRows.push(o);
      const plan = planMailbox(a, profile, r.next(), r);
      if (!plan) continue;
      const box: SeedBox = {
        ...plan,
        address: addresses.next(a.code, o.fullName),
        agency: a,
        traffic: n <= staff,
        r: new Prng(`mail:box:${o.id}`),
        logins: new Map(),
      };
      boxes.push(box);
      boxRows.push({
        address: box.address,
        officialId: o.id,
        agencyCode: a.code,
        status: plan.status,
        createdAt: `${dayStr(plan.createdDay)}T08:00:00+07:00`,
        closedAt: plan.closedDay === null ? null : `${dayStr(plan.closedDay)}T08:00:00+07:00`,
        quotaMb: n <= 3 ? 2048 : 1024,
        usedMb: 0,
      });
    }
    const published = PUBLISHED_REGULAR_USE.agencies.some((root) => under(a, root, byCode));
    for (let year = Math.max(LOGIN_FROM_YEAR, profile.startYear); year <= LAST_YEAR; year++) {
      const yearLo = dayNum(`${year}-01-01`);
      const yearHi = Math.min(dayNum(`${year}-12-31`), dayNum(SEED_NOW));
      const live = boxes.filter(
        (b) => b.traffic && b.createdDay < yearHi && (b.closedDay === null || b.closedDay > yearLo),
      );
      const regular = regularSet(live, r, regularShare(profile, year), published ? publishedOn(year) : null);
      for (const b of live) {
        const lo = Math.max(yearLo, b.createdDay + 1);
        let hi = Math.min(yearHi, b.closedDay === null ? Infinity : b.closedDay - 1);
        // Published day: only the regular mailboxes logged in during the month before it.
        const on = published ? publishedOn(year) : null;
        if (on !== null && !regular.has(b)) hi = Math.min(hi, on - 31);
        const spell = loginSpell(b.r, b.address, homeIp(a.code, b.r), lo, hi, regular.has(b));
        if (!spell) continue;
        b.logins.set(year, spell);
        spells.push(spell);
      }
    }
    writer.write(boxes);
  }
  const used = writer.usedMb();
  const lastLogin = new Map<string, number>();
  for (const s of spells) lastLogin.set(s.address, Math.max(s.last, lastLogin.get(s.address) ?? 0));
  for (const b of boxRows) {
    b.usedMb = Math.min(b.quotaMb, 5 + (used.get(b.address) ?? 0));
    const last = lastLogin.get(b.address);
    b.lastLoginAt = last === undefined ? null : loginAt(b.address, last);
  }
  await insertRows(tx, officials, officialRows);
  await insertRows(tx, mailboxes, boxRows);
  const logins = await insertLogins(tx, spells);
  await insertRows(tx, messages, writer.messages);
  await insertRows(tx, messageRecipients, writer.recipients);
  await insertRows(tx, messageAttachments, writer.attachments);
  await tx.exec(`
    SELECT setval('messages_id_seq', greatest(1, (SELECT max(id) FROM messages)));
    ANALYZE officials, mailboxes, mailbox_logins, messages, message_recipients, message_attachments;
  `);
  return {
    officials: officialRows.length,
    mailboxes: boxRows.length,
    logins,
    messages: writer.messages.length,
  };
}

/** The published day of a year (its day number), when that year has one. */
function publishedOn(year: number): number | null {
  return Number(PUBLISHED_REGULAR_USE.on.slice(0, 4)) === year ? dayNum(PUBLISHED_REGULAR_USE.on) : null;
}

/**
 * Which mailboxes are in regular use in a year: each by chance, or, in a published year, exactly the
 * published share of the mailboxes issued on the published day.
 */
function regularSet(live: SeedBox[], r: Prng, share: number, on: number | null): Set<SeedBox> {
  if (on === null) return new Set(live.filter(() => r.chance(share)));
  const issued = live.filter((b) => b.createdDay <= on - 7 && (b.closedDay === null || b.closedDay > on));
  const k = Math.round(PUBLISHED_REGULAR_USE.ratio * issued.length);
  return new Set(r.shuffle([...issued]).slice(0, k));
}

/** The time of a login on day `d` (the same formula as insertLogins' SQL): 07:00–15:59 Vietnam time. */
function loginAt(address: string, d: number): string {
  const minutes = (d * 7919 + address.length * 131) % 540;
  const hh = String(7 + Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${dayStr(d)}T${hh}:${mm}:00+07:00`;
}

/**
 * Expands login spells into rows in the database (one statement per chunk): each login at a time of the
 * working day derived from its day and address, from the mailbox's usual IP address.
 */
async function insertLogins(tx: Queryable, spells: LoginSpell[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < spells.length; i += 5000) {
    const part = spells.slice(i, i + 5000);
    const [row] = await tx.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO mailbox_logins (address, at, ip_address)
         SELECT s.address,
           ((DATE '1970-01-01' + d)::timestamp + interval '7 hours'
             + ((d * 7919 + length(s.address) * 131) % 540) * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh',
           s.ip
         FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::text[]) AS s(address, first, last, step, ip)
         CROSS JOIN LATERAL generate_series(s.first, s.last, s.step) AS d
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        part.map((s) => s.address),
        part.map((s) => s.first),
        part.map((s) => s.last),
        part.map((s) => s.step),
        part.map((s) => s.ip),
      ],
    );
    n += row!.n;
  }
  return n;
}
