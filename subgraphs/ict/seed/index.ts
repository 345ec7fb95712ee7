/**
 * Deterministic seed of the ICT subgraph (a PRNG per agency and year; the same data at every scale —
 * one inventory per agency and year, about 830 rows built in a few milliseconds).
 *
 * Every agency of the reference catalogue is inventoried on 30 June of each year it exists, 2012–2025:
 * its officials (a base per level times the agency's size), the share of them with a computer and the
 * share of computers connected to the internet rising year by year from a level's start (communes
 * behind districts), a few shared computers on top (the one-stop desk), and a LAN from a year drawn per
 * agency. Published figures (Ba Bể, first nine months of 2018; inventory of 30 June 2018): at district
 * level every official has a computer and every computer is connected; the communes' computers are 89%
 * connected (each commune its own share, 100 computers, 89 connected); every commune uses a LAN.
 */
import { AGENCIES, insertRows, referenceCatalogue } from '../../../kit';
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed, CatalogueSeedResult, Database, InsertOf } from '../../../kit';
import { ictInventories } from '../db/tables';

export const SEED_NOW = '2025-11-15';
const FIRST_YEAR = 2012;
const INVENTORY_DAY = '06-30';

/** Ba Bể's published inventory: the district, and its communes taken together. */
export const BA_BE = {
  district: '000.00.61.H03',
  on: '2018-06-30',
  communeComputers: 100,
  communeConnected: 89,
} as const;

type Row = InsertOf<typeof ictInventories>;

const OFFICIALS: Record<AgencySeed['level'], number> = {
  CENTRAL: 260,
  PROVINCE: 120,
  DEPARTMENT: 60,
  DISTRICT: 45,
  COMMUNE: 22,
};
/** Shares in 2012 (computers of officials, internet of computers) by level; both rise ~5–6 points a year. */
const START: Record<AgencySeed['level'], [number, number]> = {
  CENTRAL: [0.9, 0.85],
  PROVINCE: [0.82, 0.75],
  DEPARTMENT: [0.8, 0.72],
  DISTRICT: [0.7, 0.6],
  COMMUNE: [0.45, 0.35],
};

const clamp = (x: number): number => Math.min(1, Math.max(0, x));

function inventory(a: AgencySeed, year: number): Row {
  const profile = new Prng(`ict:${a.code}`);
  const size = Math.exp((profile.next() + profile.next() - 1) * 0.5);
  const lead = (profile.next() - 0.5) * 0.2;
  const lanYear = 2012 + Math.round(profile.next() * (a.level === 'COMMUNE' ? 8 : 4));
  const rng = new Prng(`ict:${a.code}:${year}`);
  const officials = Math.max(3, Math.round(OFFICIALS[a.level] * size * (0.95 + rng.next() * 0.1)));
  const [c0, i0] = START[a.level];
  const t = year - FIRST_YEAR;
  const withComputer = Math.round(officials * clamp(c0 + lead + 0.05 * t + (rng.next() - 0.5) * 0.04));
  const computers = withComputer + Math.round(withComputer * rng.next() * 0.15);
  const connected = Math.round(computers * clamp(i0 + lead + 0.06 * t + (rng.next() - 0.5) * 0.06));
  return {
    agencyCode: a.code,
    takenOn: `${year}-${INVENTORY_DAY}`,
    officials,
    officialsWithComputer: withComputer,
    computers,
    connectedComputers: connected,
    lan: year >= lanYear,
  };
}

/** Splits `total` into parts proportional to `weights` (largest remainders), each at most `caps[i]`. */
function split(total: number, weights: readonly number[], caps: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x, i) => Math.min(caps[i]!, Math.floor(x)));
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0]);
  let left = total - parts.reduce((s, p) => s + p, 0);
  while (left > 0) {
    const before = left;
    for (const [, i] of order)
      if (left > 0 && parts[i]! < caps[i]!) {
        parts[i]!++;
        left--;
      }
    if (left === before) throw new Error(`seed: cannot split ${total} under the caps`);
  }
  return parts;
}

/** Ba Bể's inventory of 30 June 2018 made to carry the report's figures (see the module comment). */
function publish(rows: Row[]): void {
  const on = rows.filter((r) => r.takenOn === BA_BE.on);
  const district = on.find((r) => r.agencyCode === BA_BE.district)!;
  district.officialsWithComputer = district.officials;
  district.computers = Math.max(district.computers, district.officials);
  district.connectedComputers = district.computers;
  district.lan = true;
  const communes = AGENCIES.filter((a) => a.parentCode === BA_BE.district).map(
    (a) => on.find((r) => r.agencyCode === a.code)!,
  );
  const computers = split(
    BA_BE.communeComputers,
    communes.map((c) => c.computers),
    communes.map(() => BA_BE.communeComputers),
  );
  // Each commune's connected share around its own drawn one, then the total made exact.
  const connected = split(
    BA_BE.communeConnected,
    communes.map((c, i) => (computers[i]! * c.connectedComputers) / Math.max(1, c.computers) + 0.5),
    computers,
  );
  communes.forEach((c, i) => {
    c.computers = computers[i]!;
    c.connectedComputers = connected[i]!;
    c.officialsWithComputer = Math.min(c.officialsWithComputer, c.officials, c.computers);
    c.lan = true;
  });
}

export function inventories(): Row[] {
  const rows: Row[] = [];
  for (const a of AGENCIES)
    for (let year = FIRST_YEAR; year <= Number(SEED_NOW.slice(0, 4)); year++) {
      const day = `${year}-${INVENTORY_DAY}`;
      if (day < a.validFrom || (a.validTo !== null && day > a.validTo) || day > SEED_NOW) continue;
      rows.push(inventory(a, year));
    }
  publish(rows);
  return rows;
}

export interface SeedResult {
  catalogue: CatalogueSeedResult | null;
  inventories: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM ict_inventories');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    const rows = inventories();
    await insertRows(tx, ictInventories, rows);
    await tx.exec('ANALYZE ict_inventories');
    return { catalogue, inventories: rows.length };
  });
}
