/** The seeds' PRNG (kit/synthetic/prng.ts): same seed, same data, every run. */
import { Prng } from '../synthetic/prng';

test('the PRNG is deterministic', () => {
  const a = new Prng(7);
  const b = new Prng(7);
  // The values every seed built on seed 7 sees: a change here reshuffles the seeded data.
  expect(Array.from({ length: 5 }, () => a.int(1, 1000))).toEqual([12, 62, 977, 700, 522]);
  expect(Array.from({ length: 5 }, () => b.int(1, 1000))).toEqual([12, 62, 977, 700, 522]);
});
