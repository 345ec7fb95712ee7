/**
 * The engine's @defer payloads (engine/defer.ts) from a real plan of the committed supergraph, with
 * the result tree given (the blocks here need no fetch): the initial payload's shape, one item per
 * object, a nested fragment after its parent, `hasNext` false on the last payload only, and null
 * propagation stopping at the fragment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { DeferNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { DeferShapers, subsequentPayloads } from '../../engine/defer';
import type { SubsequentPayload } from '../../incremental';

const sdl = readFileSync(path.join(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
const supergraph = Supergraph.build(sdl, { supportedFeatures: null });
const api = supergraph.apiSchema();
const planner = new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } });

function planned(query: string): { defer: DeferNode; shapers: DeferShapers } {
  const operation = operationFromDocument(api, parse(query));
  const plan = planner.buildQueryPlan(operation);
  expect(plan.node?.kind).toBe('Defer');
  return {
    defer: plan.node as DeferNode,
    shapers: new DeferShapers(operation, () => {
      throw new Error('no introspection here');
    }),
  };
}

async function payloads(
  query: string,
  data: Record<string, unknown>,
): Promise<{ initial: unknown; rest: SubsequentPayload[] }> {
  const { defer, shapers } = planned(query);
  const initial = shapers.primary(defer)(data, {}, []).data!;
  const rest: SubsequentPayload[] = [];
  const run = {
    context: () => {
      throw new Error('these blocks fetch nothing');
    },
    shapers,
    schema: api,
    data,
    delivered: structuredClone(initial),
    variables: {},
  };
  for await (const p of subsequentPayloads(run, defer.deferred)) rest.push(p);
  return { initial, rest };
}

const STATUS = {
  dossierStatus: {
    __typename: 'DossierPublicStatus',
    code: 'c1',
    status: 'DA_XU_LY_XONG',
    timeliness: 'TRUOC_HAN',
  },
};

test('the initial payload lacks the deferred fields; a nested fragment comes after its parent; hasNext false last', async () => {
  const { initial, rest } = await payloads(
    `{ dossierStatus(code: "c1") { code ... @defer(label: "a") { status ... @defer(label: "b") { timeliness } } } }`,
    structuredClone(STATUS),
  );
  expect(initial).toEqual({ dossierStatus: { code: 'c1' } });
  // Ready together, the two may share one payload; the parent's item always comes first.
  expect(rest.flatMap((p) => p.incremental ?? [])).toEqual([
    { data: { status: 'DA_XU_LY_XONG' }, path: ['dossierStatus'], label: 'a' },
    { data: { timeliness: 'TRUOC_HAN' }, path: ['dossierStatus'], label: 'b' },
  ]);
  expect(rest.map((p) => p.hasNext)).toEqual([...rest.slice(1).map(() => true), false]);
});

test('a null for a non-null field nulls the fragment, not the initial payload', async () => {
  const data = structuredClone(STATUS) as { dossierStatus: Record<string, unknown> };
  data.dossierStatus.status = null; // DossierStatus! in the schema
  const { initial, rest } = await payloads(
    `{ dossierStatus(code: "c1") { code ... @defer { status } } }`,
    data,
  );
  expect(initial).toEqual({ dossierStatus: { code: 'c1' } });
  expect(rest).toHaveLength(1);
  expect(rest[0]!.hasNext).toBe(false);
  const item = rest[0]!.incremental![0]!;
  expect(item.data).toBeNull();
  expect(item.path).toEqual(['dossierStatus']);
  expect(item.extensions?.valueCompletion).toEqual([
    expect.objectContaining({ message: expect.stringContaining('Cannot return null for non-nullable') }),
  ]);
});

test('nothing lands under an object the initial payload nulled: the stream just ends', async () => {
  const { initial, rest } = await payloads(`{ dossierStatus(code: "c1") { code ... @defer { status } } }`, {
    dossierStatus: null,
  });
  expect(initial).toEqual({ dossierStatus: null });
  expect(rest).toEqual([{ hasNext: false }]);
});
