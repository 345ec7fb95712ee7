/** The ICT seed (seed/index.ts): the published Ba Bể inventory is exact, every row keeps the table's checks. */
import { AGENCIES } from '../../../kit';
import { BA_BE, inventories } from '../seed';

const rows = inventories();

test('Ba Bể, 30 June 2018: the district at 100% and 100%, its communes 89 of 100 computers connected, all on a LAN', () => {
  const on = rows.filter((r) => r.takenOn === BA_BE.on);
  const district = on.find((r) => r.agencyCode === BA_BE.district)!;
  expect(district.officialsWithComputer).toBe(district.officials);
  expect(district.connectedComputers).toBe(district.computers);
  const communeCodes = AGENCIES.filter((a) => a.parentCode === BA_BE.district).map((a) => a.code);
  const communes = on.filter((r) => communeCodes.includes(r.agencyCode));
  expect(communes).toHaveLength(6);
  expect(communes.reduce((s, c) => s + c.computers, 0)).toBe(100);
  expect(communes.reduce((s, c) => s + c.connectedComputers, 0)).toBe(89);
  expect(communes.every((c) => c.lan)).toBe(true);
  // Spread, not constant: the communes' shares differ.
  expect(new Set(communes.map((c) => (c.connectedComputers / c.computers).toFixed(3))).size).toBeGreaterThan(
    1,
  );
});

test('every inventory keeps the table’s checks, one per agency and year, only while the agency exists', () => {
  const keys = new Set<string>();
  for (const r of rows) {
    expect(r.officialsWithComputer).toBeLessThanOrEqual(r.officials);
    expect(r.officialsWithComputer).toBeLessThanOrEqual(r.computers);
    expect(r.connectedComputers).toBeLessThanOrEqual(r.computers);
    expect(Math.min(r.officials, r.officialsWithComputer, r.connectedComputers)).toBeGreaterThanOrEqual(0);
    const a = AGENCIES.find((x) => x.code === r.agencyCode)!;
    expect(r.takenOn >= a.validFrom && (a.validTo === null || r.takenOn <= a.validTo)).toBe(true);
    keys.add(`${r.agencyCode}|${r.takenOn}`);
  }
  expect(keys.size).toBe(rows.length);
  expect(rows).toHaveLength(825);
});

test('the same data every time (deterministic)', () => {
  expect(inventories()).toEqual(rows);
});
