/**
 * `npx tsx scripts/bench-authorization.ts`: what the authorization feature costs per operation, in
 * process (no HTTP, no subgraphs), on the composed API schema and the committed supergraph's
 * requirements. For a portal query (no restricted field) and an anonymous caller's page of documents
 * (two fields denied), prints the µs spent finding restricted fields the first time a document is
 * seen, deciding per request, rewriting (once per document and denied set; cached) and patching the
 * response.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getOperationAST, parse } from 'graphql';
import { ANONYMOUS } from '../common/identity';
import {
  BUILTIN_POLICIES,
  DEFAULT_ROLE_SCOPES,
  effectiveScopes,
} from '../gateway/features/authorization/policies';
import {
  allows,
  FieldRequirements,
  grantFor,
  readRequirements,
} from '../gateway/features/authorization/requirements';
import { patchData } from '../gateway/features/authorization/response';
import { restrictedFields, rewrite } from '../gateway/features/authorization/rewrite';
import { composeApiSchema } from '../schema/compose';
import { ROOT } from '../schema/registry';
import { registeredSources } from './compose';

const schema = composeApiSchema(registeredSources());
const requirements = readRequirements(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
const fields = new FieldRequirements(schema, requirements);
const QUERIES = {
  'portal: document by id': 'query($id: ID!) { document(id: $id) { numberSymbol subject issuer { name } } }',
  'anonymous: 20 documents (2 denied)': `{ documents(first: 20) { nodes { numberSymbol subject
    issuer { name parent { name } } recipients { name } assignments { state } } } }`,
};

/** Mean µs of `f` over `n` runs, after `n` warm-up runs. */
function micros(n: number, f: () => void): number {
  for (let i = 0; i < n; i++) f();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - start) / n / 1000;
}

const decide = (restricted: ReturnType<typeof restrictedFields>) => {
  const grant = grantFor(ANONYMOUS, effectiveScopes(ANONYMOUS, DEFAULT_ROLE_SCOPES), BUILTIN_POLICIES);
  return restricted.filter((r) => !fields.of(r.parent, r.field).every((q) => allows(q, grant)));
};

console.log('operation'.padEnd(38), 'first seen', 'per request', 'rewrite', 'patch', '(µs)');
for (const [name, query] of Object.entries(QUERIES)) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const find = () => restrictedFields(schema, document, (p, f) => fields.of(p, f).length > 0);
  const restricted = find();
  const denied = new Set(decide(restricted).map((r) => r.coordinate));
  const done = rewrite(schema, document, operation, denied);
  const row = [
    micros(200, find),
    restricted.length === 0 ? 0 : micros(20_000, () => decide(restricted)),
    denied.size === 0 ? 0 : micros(200, () => rewrite(schema, document, operation, denied)),
    denied.size === 0 ? 0 : micros(2_000, () => patchData(schema, { documents: null }, done.removals, {})),
  ];
  console.log(name.padEnd(38), ...row.map((v) => v.toFixed(1).padStart(10)));
}
