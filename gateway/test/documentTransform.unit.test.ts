import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import type { DocumentNode } from 'graphql';
import { withDocumentTransform } from '../documentTransform';

function recordingGateway(seen: { document: DocumentNode; queryHash: string }[]): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: () => () => undefined,
    stop: async () => undefined,
    load: async () => ({
      executor: async (rc) => {
        seen.push({ document: rc.document, queryHash: rc.queryHash });
        return { data: {} };
      },
    }),
  };
}

test('the transformed document is what the engine executes, under a hash of its own', async () => {
  const original = parse('{ a b }');
  const trimmed = parse('{ a }');
  const seen: { document: DocumentNode; queryHash: string }[] = [];
  const gateway = withDocumentTransform(recordingGateway(seen), (doc, ctx) =>
    ctx.requestId === 'citizen' ? trimmed : doc,
  );
  const { executor } = await gateway.load({ apollo: {} });
  const run = (requestId: string) =>
    executor!({ document: original, queryHash: 'h', context: { requestId } } as never);
  await run('citizen');
  await run('admin');
  await run('citizen');
  expect(seen.map((s) => s.document)).toEqual([trimmed, original, trimmed]);
  expect(seen[0]!.queryHash).not.toBe('h');
  expect(seen[1]!.queryHash).toBe('h');
  expect(seen[2]!.queryHash).toBe(seen[0]!.queryHash); // the same transformed document keeps its plan
});
