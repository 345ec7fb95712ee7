/**
 * Document transforms (a feature part) wrap whichever engine runs: the engine plans and executes the
 * transformed operation, under a query hash of its own per transformed document (documentTransform.ts).
 */
import { parse } from 'graphql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { withDocumentTransforms } from '../documentTransform';
import type { DocumentTransform } from '../documentTransform';
import type { GatewayEngine } from '../engine';

interface Seen {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  queryHash: string;
}

function recordingEngine(seen: Seen[]): GatewayEngine {
  return {
    healthCheck: async () => undefined,
    onSchemaLoadOrUpdate: () => () => undefined,
    stop: async () => undefined,
    settled: async () => undefined,
    load: async () => ({
      executor: async (rc) => {
        seen.push({ document: rc.document, operation: rc.operation, queryHash: rc.queryHash });
        return { data: {} };
      },
    }),
  };
}

const operationOf = (document: DocumentNode) => document.definitions[0] as OperationDefinitionNode;
const original = parse('{ a b c }');
const trimmed = parse('{ a b }');
const shorter = parse('{ a }');

async function run(transforms: DocumentTransform[], requestIds: string[]): Promise<Seen[]> {
  const seen: Seen[] = [];
  const { executor } = await withDocumentTransforms(recordingEngine(seen), transforms).load({
    apollo: {},
  } as never);
  for (const requestId of requestIds)
    await executor!({
      document: original,
      operation: operationOf(original),
      operationName: null,
      queryHash: 'h',
      context: { requestId },
    } as never);
  return seen;
}

test('the transformed document and operation are what the engine executes, under a hash of its own', async () => {
  const trim: DocumentTransform = ({ context }) =>
    context.requestId === 'citizen' ? { document: trimmed, operation: operationOf(trimmed) } : undefined;
  const seen = await run([trim], ['citizen', 'admin', 'citizen']);
  expect(seen.map((s) => s.document)).toEqual([trimmed, original, trimmed]);
  expect(seen.map((s) => s.operation)).toEqual([
    operationOf(trimmed),
    operationOf(original),
    operationOf(trimmed),
  ]);
  expect(seen.map((s) => s.queryHash)).toEqual(['h:1', 'h', 'h:1']); // the same transformed document keeps its plan
});

test('transforms run in feature-list order, each on the previous one’s result', async () => {
  const inputs: string[] = [];
  const first: DocumentTransform = () => ({ document: trimmed, operation: operationOf(trimmed) });
  const second: DocumentTransform = ({ document }) => {
    inputs.push(document === trimmed ? 'trimmed' : 'other');
    return { document: shorter, operation: operationOf(shorter) };
  };
  const seen = await run([first, second], ['any']);
  expect(inputs).toEqual(['trimmed']);
  expect(seen.map((s) => s.document)).toEqual([shorter]);
});

test('without transforms the engine is the engine itself', () => {
  const engine = recordingEngine([]);
  expect(withDocumentTransforms(engine, [])).toBe(engine);
});
