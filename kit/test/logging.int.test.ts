/**
 * Personal data never reaches a subgraph's log: neither a request's variables nor the values a
 * database error quotes (PostgreSQL's `detail`: `Key (id_number)=(…) already exists`), at any level.
 */
import { Writable } from 'node:stream';
import type { Database } from '../runtime/db';
import { createLogger } from '../runtime/logger';
import { createSubgraphServer } from '../runtime/server';
import { callers, createTestDatabase } from '../testing';
import {
  CALLER_HEADER,
  generateGatewayKeys,
  importGatewayPrivateKey,
  signCallerToken,
} from '../../common/identity';

const CITIZEN_ID = '001085012345';
const NAME = 'Nguyễn Thị Hồng Nhung';

let db: Database;
const lines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

test('variables, arguments and the values in a database error stay out of the log', async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const keys = generateGatewayKeys();
  const app = createSubgraphServer({
    name: 'people',
    typeDefs: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Query { register(idNumber: String!, name: String!): Boolean }`,
    resolvers: {
      Query: {
        register: () => {
          // What node-postgres throws on a duplicate: the row's values in `detail` and in the message.
          const err = Object.assign(new Error(`invalid input value for citizen: "${NAME}"`), {
            code: '23505',
            detail: `Key (id_number)=(${CITIZEN_ID}) already exists.`,
            where: `SQL statement "INSERT … VALUES ('${CITIZEN_ID}')"`,
          });
          throw err;
        },
      },
    },
    createLoaders: () => ({}),
    db,
    logger: createLogger('people', 'trace', sink),
    maxPageSize: 100,
    gatewayPublicKey: keys.publicKey,
  });
  await app.ready();
  const key = await importGatewayPrivateKey(keys.privateKey);
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: {
      [CALLER_HEADER]: await signCallerToken(callers.citizen(CITIZEN_ID), key, { audience: 'people' }),
      'x-request-id': 'req-pii-1',
    },
    payload: {
      query: 'query($id: String!, $n: String!) { register(idNumber: $id, name: $n) }',
      variables: { id: CITIZEN_ID, n: NAME },
    },
  });
  await app.close();
  expect(res.json().errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  const log = lines.join('');
  // The failure is logged, with its request id and the error code…
  const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'resolver failed');
  expect(failure).toMatchObject({ reqId: 'req-pii-1', err: { code: '23505', detail: '[redacted]' } });
  // …and nothing personal: not the citizen ID, not the name.
  expect(log).not.toContain(CITIZEN_ID);
  expect(log).not.toContain(NAME);
  expect(log).not.toContain('Nhung');
});

test('an `err` given as a message string is logged with its values redacted, and logging does not throw', () => {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      written.push(String(chunk));
      done();
    },
  });
  const log = createLogger('loop', 'info', sink);
  // What the background loops log when a round fails (kit/events/relay.ts, the portal sync sender).
  expect(() =>
    log.error({ err: `invalid input for ${CITIZEN_ID}: "${NAME}"` }, 'event relay round failed'),
  ).not.toThrow();
  expect(() => log.warn({ err: 42 }, 'odd')).not.toThrow();
  const [first, second] = written.map((l) => JSON.parse(l) as { err: unknown; msg: string });
  expect(first).toMatchObject({
    msg: 'event relay round failed',
    err: 'invalid input for [redacted]: "[redacted]"',
  });
  expect(second).toMatchObject({ msg: 'odd', err: 42 });
});
