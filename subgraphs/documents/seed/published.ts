/**
 * A register year with published figures for part of it (volumes.ts PUBLISHED_PARTS): each part's
 * documents on days drawn within it, the given number of them electronic, ~2% secret ones on paper on
 * top over the whole year; then numbered and delivered as any register (outgoing.ts).
 *
 * It draws from its own PRNG (seeded by agency and year). The shared stream still draws the curve's
 * register for that year, and drops it, so every other agency's documents stay exactly as they were.
 */
import { Prng } from '../../../kit/synthetic';
import { outgoingRegister, writeRegister } from './outgoing';
import type { Correspondents, RegisterEntry, RegisterYear } from './outgoing';
import { addDays } from './calendar';
import { SeedRows } from './rows';
import type { RegisterPart } from './volumes';

export function publishedRegister(
  rows: SeedRows,
  shared: Prng,
  people: Correspondents,
  r: RegisterYear,
  parts: readonly RegisterPart[],
): void {
  outgoingRegister(new SeedRows(), shared, people, r); // the shared stream moves on as before
  const rng = new Prng(`published:${r.agency.code}:${r.year}`);
  const entries: RegisterEntry[] = [];
  for (const p of parts) {
    const flags = rng.shuffle(Array.from({ length: p.count }, (_, i) => i < p.electronic));
    for (const electronic of flags)
      entries.push({ isSecret: false, electronic, issued: addDays(p.start, rng.int(0, p.days - 1)) });
  }
  const total = entries.length;
  for (let i = 0; i < total; i++)
    if (rng.chance(0.02))
      entries.push({ isSecret: true, electronic: false, issued: addDays(r.start, rng.int(0, r.days - 1)) });
  entries.sort((x, y) => (x.issued < y.issued ? -1 : x.issued > y.issued ? 1 : 0));
  writeRegister(rows, rng, people, r.agency, r.year, entries);
}
