/**
 * DataLoader helpers shared by subgraphs. Loaders are created per request (in the request context),
 * never as module singletons, so one caller's data is never served to another.
 */
import DataLoader from 'dataloader';

/** One row (or null) per key, in key order. */
export function alignOne<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

/** All rows per key, in key order (rows keep their order). */
export function alignMany<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K | null): R[][] {
  const map = new Map<K | null, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** A loader whose batch function receives arrays of keys. */
export function loader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(async (keys) => batch(keys), { maxBatchSize: 1000 });
}

/** One row (or null) per key, from one fetch of all keys. */
export function oneBy<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (r: R) => K,
): DataLoader<K, R | null> {
  return loader(async (keys: readonly K[]) => alignOne(keys, await fetch(keys), keyOf));
}

/** All rows per key, from one fetch of all keys. */
export function manyBy<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (r: R) => K | null,
): DataLoader<K, R[]> {
  return loader(async (keys: readonly K[]) => alignMany(keys, await fetch(keys), keyOf));
}

/** Key of a loader whose rows depend on an id and on arguments shared by a batch (a date, a page). */
export interface KeyOn<A> {
  id: string;
  arg: A;
}

const argKey = (k: KeyOn<unknown>): string => JSON.stringify(k.arg ?? null);

/** One fetch per distinct argument for all ids that share it; `align` puts the rows in id order. */
function byIdOn<A, R, V>(
  fetch: (ids: readonly string[], arg: A) => Promise<R[]>,
  align: (ids: readonly string[], rows: R[]) => V[],
): DataLoader<KeyOn<A>, V, string> {
  return groupedLoader(
    argKey,
    (k) => k.id,
    async (keys: readonly KeyOn<A>[]) => {
      const ids = keys.map((k) => k.id);
      return align(ids, await fetch(ids, keys[0]!.arg));
    },
  );
}

/** Like `oneBy`, with one fetch per distinct argument. */
export function oneByOn<A, R>(
  fetch: (ids: readonly string[], arg: A) => Promise<R[]>,
  keyOf: (r: R) => string,
): DataLoader<KeyOn<A>, R | null, string> {
  return byIdOn(fetch, (ids, rows) => alignOne(ids, rows, keyOf));
}

/** Like `manyBy`, with one fetch per distinct argument. */
export function manyByOn<A, R>(
  fetch: (ids: readonly string[], arg: A) => Promise<R[]>,
  keyOf: (r: R) => string | null,
): DataLoader<KeyOn<A>, R[], string> {
  return byIdOn(fetch, (ids, rows) => alignMany(ids, rows, keyOf));
}

/**
 * A loader for keys made of an item and shared arguments (e.g. an agency code and a period): keys
 * with the same arguments (`groupOf`) are loaded together in one call of `batch`.
 */
export function groupedLoader<K, V>(
  groupOf: (key: K) => string,
  itemOf: (key: K) => string,
  batch: (keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const g = groupOf(k);
        const list = groups.get(g);
        if (list) list.push(i);
        else groups.set(g, [i]);
      });
      const out = new Array<V>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (idx) => {
          const values = await batch(idx.map((i) => keys[i]!));
          idx.forEach((i, j) => (out[i] = values[j]!));
        }),
      );
      return out;
    },
    { cacheKeyFn: (k) => `${groupOf(k)}\u0000${itemOf(k)}`, maxBatchSize: 1000 },
  );
}
