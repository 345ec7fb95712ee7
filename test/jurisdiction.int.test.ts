/**
 * The generated jurisdiction test (issue 14, "Must show"): for every mutation of every registered
 * subgraph, read from the SDLs, and every argument or input field that names an entity
 * (`@references`, kit/runtime/sdl/shared.graphql), a value from outside the caller's jurisdiction — or, for an
 * input that may name anything in the catalogue, a value that names nothing — is refused, naming that
 * input, and nothing is written anywhere (every table of every subgraph, fingerprinted before and after).
 * Then the unchanged baseline call succeeds, so the refusal was for that value.
 *
 * A new mutation is covered without editing this file: it needs a baseline in
 * test/fixtures/jurisdiction.ts and `@references` on its ID-like inputs, and fails here until it has both.
 */
import { BASELINES, CALLER, CALLERS, OUTSIDE, UNKNOWN } from './fixtures/jurisdiction';
import type { FixtureContext } from './fixtures/jurisdiction';
import { fingerprint } from './support/snapshot';
import { operationOf, registeredMutations } from './support/references';
import type { Reference } from './support/references';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(180_000);

const mutations = registeredMutations();
let stack: FederatedStack;
let ctx: FixtureContext;

beforeAll(async () => {
  stack = await startFederatedStack({ scale: 0.02 });
  ctx = {
    stack,
    db: (name) => {
      const sub = stack.subgraphs.get(name);
      if (!sub) throw new Error(`no subgraph ${name}`);
      return sub.db;
    },
    run: async (query, variables, as = CALLER) => {
      const r = await stack.gql(query, variables, as);
      if (r.errors) throw new Error(`fixture call failed: ${JSON.stringify(r.errors)}\n${query}`);
      return r.data;
    },
  };
});

afterAll(async () => {
  await stack?.close();
});

/** `vars` with the value at `path` replaced by `value` (into a list's every element, or as its one element). */
function substitute(vars: Record<string, unknown>, ref: Reference, value: unknown): Record<string, unknown> {
  const copy = structuredClone(vars);
  let node: any = copy;
  for (const step of ref.path.slice(0, -1)) {
    node = Array.isArray(node[step]) ? node[step][0] : node[step];
    if (node == null) return copy; // reported by `present`
  }
  const last = ref.path.at(-1)!;
  node[last] = ref.list ? [value] : value;
  return copy;
}

/** A path without list indices (`input.results[0].landUseCode` → `input.results.landUseCode`). */
const unindexed = (s: unknown): string => String(s).replace(/\[[^\]]*\]/g, '');

const present = (vars: Record<string, unknown>, ref: Reference): boolean => {
  let node: any = vars;
  for (const step of ref.path) {
    node = Array.isArray(node) ? node[0]?.[step] : node?.[step];
    if (node == null) return false;
  }
  return !(Array.isArray(node) && node.length === 0);
};

describe.each(mutations.map((m) => [`${m.subgraph}.${m.name}`, m] as const))('%s', (_, m) => {
  test('has a baseline in test/fixtures/jurisdiction.ts and @references on every ID-like input', () => {
    expect({
      baseline: BASELINES[m.name]
        ? 'present'
        : `add BASELINES.${m.name} (a valid call by an official of Lập Thạch) to test/fixtures/jurisdiction.ts`,
      unmarked: m.unmarked.map(
        (p) => `${p}: mark it @references(entity: …) in subgraphs/${m.subgraph}/schema.graphql`,
      ),
    }).toEqual({ baseline: 'present', unmarked: [] });
  });

  const cases = m.references.map((ref) => [ref.path.join('.'), ref] as const);
  if (!cases.length) return;
  test.each(cases)(
    '%s: a value from outside the caller’s jurisdiction is refused, naming it, and nothing is written',
    async (field, ref) => {
      const baseline = BASELINES[m.name];
      if (!baseline) throw new Error(`no baseline for ${m.name}`);
      const source = ref.scope === 'JURISDICTION' ? OUTSIDE[ref.entity] : UNKNOWN[ref.entity];
      if (!source)
        throw new Error(
          `add ${ref.scope === 'JURISDICTION' ? 'OUTSIDE' : 'UNKNOWN'}.${ref.entity} to test/fixtures/jurisdiction.ts`,
        );
      const values = await source(ctx);
      const vars = await baseline(ctx, field);
      expect(present(vars, ref) ? field : `BASELINES.${m.name} gives no value at ${field}`).toBe(field);
      const op = operationOf(m);
      const caller = CALLERS[m.name] ?? CALLER;
      for (const value of values) {
        const before = await fingerprint(stack.subgraphs);
        const r = await stack.gql(op, substitute(vars, ref, value), caller);
        const error = r.errors?.[0];
        expect({
          value,
          data: r.data?.[m.name] ?? null,
          code: ['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT'].includes(error?.extensions?.code)
            ? 'refused'
            : error?.extensions?.code,
          error:
            unindexed(error?.extensions?.field) === field || unindexed(error?.message).includes(field)
              ? `names ${field}`
              : (error?.message ?? 'none'),
        }).toEqual({ value, data: null, code: 'refused', error: `names ${field}` });
        expect(await fingerprint(stack.subgraphs)).toEqual(before);
      }
      const ok = await stack.gql(op, vars, caller);
      expect(ok.errors).toBeUndefined();
      expect(ok.data?.[m.name]).not.toBeNull();
    },
  );
});
