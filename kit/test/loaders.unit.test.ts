/** DataLoader helpers (kit/runtime/loaders.ts): rows aligned to keys, one batch per argument group. */
import { alignMany, alignOne, groupedLoader } from '../runtime/loaders';

describe('loaders', () => {
  test('align rows to keys', () => {
    expect(alignOne([3, 1, 2], [{ id: 1 }, { id: 3 }], (r) => r.id)).toEqual([{ id: 3 }, { id: 1 }, null]);
    expect(
      alignMany(
        ['a', 'b'],
        [
          { k: 'a', v: 1 },
          { k: 'a', v: 2 },
        ],
        (r) => r.k,
      ),
    ).toEqual([
      [
        { k: 'a', v: 1 },
        { k: 'a', v: 2 },
      ],
      [],
    ]);
  });
  test('grouped loader makes one batch call per distinct argument group', async () => {
    const calls: string[][] = [];
    const l = groupedLoader(
      (k: { code: string; year: number }) => String(k.year),
      (k) => k.code,
      async (keys) => {
        calls.push(keys.map((k) => `${k.code}:${k.year}`));
        return keys.map((k) => `${k.code}/${k.year}`);
      },
    );
    const out = await Promise.all([
      l.load({ code: 'a', year: 2014 }),
      l.load({ code: 'b', year: 2014 }),
      l.load({ code: 'a', year: 2017 }),
      l.load({ code: 'a', year: 2014 }),
    ]);
    expect(out).toEqual(['a/2014', 'b/2014', 'a/2017', 'a/2014']);
    expect(calls.sort()).toEqual([['a:2014', 'b:2014'], ['a:2017']]);
  });
});
