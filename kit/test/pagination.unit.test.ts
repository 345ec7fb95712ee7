/** Cursor connections (kit/runtime/pagination.ts): opaque cursors, a capped page, one row fetched ahead. */
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from '../runtime/pagination';

const isNum = (v: unknown): v is number => typeof v === 'number';
const codeOf = (e: unknown) => (e as GraphQLError).extensions?.code;
/** What `fn` throws, or undefined when it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('pagination', () => {
  test('cursors round-trip and garbage is BAD_USER_INPUT naming the argument', () => {
    expect(decodeCursor(encodeCursor(42), isNum)).toBe(42);
    expect(() => decodeCursor('not-a-cursor', isNum)).toThrow('after: is not a valid cursor');
    const thrown = thrownBy(() => decodeCursor(encodeCursor('text'), isNum));
    expect(thrown).toBeInstanceOf(GraphQLError); // fails when nothing is thrown
    expect(codeOf(thrown)).toBe('BAD_USER_INPUT');
  });
  test('page size is capped', () => {
    expect(() => pageWindow({ first: 101 }, 100, isNum)).toThrow('first: must be at most 100');
    expect(() => pageWindow({ first: -1 }, 100, isNum)).toThrow('first: must be a non-negative integer');
    expect(pageWindow({}, 100, isNum)).toEqual({ size: 20, fetch: 21, after: null });
  });
  test('a connection fetches one extra row to know about the next page', () => {
    const w = pageWindow({ first: 2 }, 100, isNum);
    const c = toConnection([1, 2, 3], w, (n) => n);
    expect(c.nodes).toEqual([1, 2]);
    expect(c.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(c.pageInfo.endCursor!, isNum)).toBe(2);
    expect(toConnection([1], w, (n) => n).pageInfo).toEqual({
      hasNextPage: false,
      endCursor: c.edges[0]!.cursor,
    });
  });
});
