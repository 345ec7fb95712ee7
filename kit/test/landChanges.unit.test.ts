/**
 * The land-change plan both seeds read (kit/synthetic/landChanges.ts) and the synthetic people it names
 * (kit/synthetic/people.ts): deterministic, internally consistent, and dated like a one-stop dossier really is.
 */
import { AGENCIES } from '../reference/catalogue';
import { defaultCalendar } from '../reference/calendar';
import { formatParcelId } from '../reference/cadastre';
import { landChangePlan, SHOWCASE } from '../synthetic/landChanges';
import { parcelPlan } from '../synthetic/parcels';
import type * as LandChanges from '../synthetic/landChanges';
import { syntheticCitizen, syntheticOfficial } from '../synthetic/people';
import { Prng } from '../synthetic/prng';

const cal = defaultCalendar();

test.each([
  [0.05, 26],
  [1, 566],
])('scale %s: %s planned changes, each consistent with its dossier', (scale, changes) => {
  const plan = landChangePlan(scale);
  expect(plan).toHaveLength(changes);
  expect(new Set(plan.map((c) => c.kind))).toEqual(new Set(['TRANSFER', 'CHANGE_OF_USE', 'SPLIT', 'MERGE']));
  const codes = plan.map((c) => c.dossier.code);
  expect(new Set(codes).size).toBe(codes.length);
  const touched = plan.flatMap((c) => [...c.from, ...c.to].map(formatParcelId));
  // Each parcel takes part in one change at most (TRANSFER and CHANGE_OF_USE list it on both sides).
  const sides = plan.flatMap((c) => [...new Set([...c.from, ...c.to].map(formatParcelId))]);
  expect(new Set(sides).size).toBe(sides.length);
  expect(touched.length).toBeGreaterThan(plan.length);
  for (const c of plan) {
    const d = c.dossier;
    const agency = AGENCIES.find((a) => a.code === d.agencyCode)!;
    expect(agency.level).toBe('DISTRICT');
    const [, day, seq] = /-(\d{6})-(\d{4})$/.exec(d.code)!;
    expect(day).toBe(d.receivedOn.slice(2).replaceAll('-', ''));
    expect(d.receiptMinute).toBe(7 * 60 + Number(seq) - 1);
    expect(cal.isWorkingDay(d.receivedOn)).toBe(true);
    expect(d.receivedOn >= agency.validFrom && d.returnedOn <= (agency.validTo ?? '9999')).toBe(true);
    expect(cal.workingDaysBetween(d.receivedOn, d.finishedOn)).toBeLessThanOrEqual(10); // within every land procedure's time
    expect(d.finishedOn < d.returnedOn && d.returnedOn === c.date && c.date <= '2025-06-30').toBe(true);
    expect(formatParcelId(d.parcel)).toBe(formatParcelId(c.from[0]!));
    expect(d.applicant.idNumber).toMatch(/^0\d{2}[0-3]\d{8}$/);
    const { parcelsPerSheet } = parcelPlan(c.from[0]!.originalCommuneCode, scale);
    for (const p of c.from) expect(p.parcel >= 3 && p.parcel <= parcelsPerSheet).toBe(true);
    if (c.kind === 'SPLIT' || c.kind === 'MERGE') {
      expect(c.to).toHaveLength(c.kind === 'SPLIT' ? 2 : 1);
      for (const p of c.to) expect(p.sheet === c.from[0]!.sheet && p.parcel > parcelsPerSheet).toBe(true);
    } else expect(c.to).toEqual(c.from);
    if (c.kind === 'MERGE') expect(c.from[1]!.parcel).toBe(c.from[0]!.parcel + 1); // neighbours on one sheet
  }
  const showcase = plan.find((c) => formatParcelId(c.from[0]!) === formatParcelId(SHOWCASE.parcel))!;
  expect(showcase).toMatchObject({
    kind: 'SPLIT',
    dossier: { code: SHOWCASE.dossierCode, receivedOn: SHOWCASE.receivedOn },
  });
});

test('the plan is deterministic', () => {
  const a = JSON.stringify(landChangePlan(0.05));
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fresh = require('../synthetic/landChanges') as typeof LandChanges;
    expect(JSON.stringify(fresh.landChangePlan(0.05))).toBe(a);
  });
});

test('synthetic citizens: CCCD digits follow province, sex and birth year; officials keep their names', () => {
  const rng = new Prng('people-test');
  for (let i = 0; i < 200; i++) {
    const p = syntheticCitizen(rng, { provinceCode: '26', bornFrom: 1950, bornTo: 2005 });
    const sexDigit = Number(p.idNumber[3]);
    expect(sexDigit).toBe((p.birthYear >= 2000 ? 2 : 0) + (p.female ? 1 : 0));
    expect(p.idNumber.slice(4, 6)).toBe(String(p.birthYear % 100).padStart(2, '0'));
    expect(p.fullName.split(' ').length).toBe(3);
  }
  // The documents and mail seeds name these officials; the shared pools must not rename them.
  const names = ['000.00.46.H62/1', '000.00.46.H62/2', '000.00.21.H26/7', '000.00.00.H26/1'].map((id) => {
    const [agency, n] = id.split('/');
    return syntheticOfficial(agency!, Number(n)).fullName;
  });
  expect(names).toEqual(['Lý Minh Nga', 'Hoàng Xuân Tuấn', 'Võ Minh Tuấn', 'Đỗ Phương Nga']);
});

test('every planned land change has a dossier of its own (a dossier decides one change: land_changes.dossier_code is unique)', () => {
  for (const scale of [0.05, 0.2, 1]) {
    const codes = landChangePlan(scale).map((c) => c.dossier.code);
    expect(new Set(codes).size).toBe(codes.length);
  }
});
