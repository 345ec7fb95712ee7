/**
 * Usage-aware checks (REGISTRY_USAGE_CHECKS=true) over HTTP: gateways report which fields each
 * client's operations used per day; a breaking change somebody used in the window fails the check and
 * names the client and operation; one nobody used (or used only before the window) passes, reported.
 */
import { AGENCIES, call, OFFICIAL, PARTNER, permits, startTestRegistry, tokenFor } from './support';
import type { TestRegistry } from './support';

let registry: TestRegistry;
let partner: string;
let official: string;
const ENV = '/v1/environments/production';

beforeAll(async () => {
  registry = await startTestRegistry({ REGISTRY_USAGE_CHECKS: 'true', REGISTRY_USAGE_WINDOW_DAYS: '30' });
  partner = await tokenFor(registry, PARTNER);
  official = await tokenFor(registry, OFFICIAL);
  await call(registry, 'POST', `${ENV}/subgraphs/agencies/publish`, {
    token: official,
    body: { sdl: AGENCIES, url: 'http://agencies.test/graphql' },
  });
  await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
    token: partner,
    body: { sdl: permits(), url: 'http://permits.test/graphql' },
  });
});
afterAll(() => registry.close());

const daysAgo = async (n: number) =>
  (await registry.testDb.query<{ d: string }>(`SELECT (current_date - $1::int)::text AS d`, [n]))[0]!.d;

test('a breaking change a client used fails and names it; an unused one passes', async () => {
  const today = await daysAgo(0);
  const report = (body: unknown, token = official) => call(registry, 'POST', `${ENV}/usage`, { token, body });
  // Two reports of the same operation on the same day add up.
  for (const count of [5, 7])
    expect(
      await report({
        reports: [
          {
            day: today,
            client: 'portal',
            operation: 'PermitView',
            coordinates: ['Query.permit', 'Permit.holder'],
            count,
          },
        ],
      }),
    ).toMatchObject({ status: 200, body: { recorded: 2 } });
  await report({
    reports: [
      {
        day: await daysAgo(40),
        client: 'legacy-app',
        operation: 'OldList',
        coordinates: ['Permit.issuedOn'],
        count: 3,
      },
      {
        day: await daysAgo(2),
        client: 'partner:000.00.31.H26',
        operation: 'Agency',
        coordinates: ['Agency.permits'],
        count: 1,
      },
    ],
  });

  // Permit.holder: used by the portal → the check fails, naming client and operation.
  const used = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: { sdl: permits({ holder: false }) },
  });
  expect(used.body).toMatchObject({
    ok: false,
    changes: [
      {
        severity: 'breaking',
        coordinate: 'Permit.holder',
        usedBy: [{ client: 'portal', operation: 'PermitView', count: 12 }],
      },
    ],
  });
  const refused = await call(registry, 'POST', `${ENV}/subgraphs/permits/publish`, {
    token: partner,
    body: { sdl: permits({ holder: false }) },
  });
  expect(refused).toMatchObject({ status: 409, body: { error: { code: 'CHECK_FAILED' } } });
  expect(refused.body.error.message).toContain('Permit.holder (used by portal: PermitView (12×))');

  // Permit.issuedOn: used only 40 days ago, outside the 30-day window → breaking, unused, passes.
  const unused = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: { sdl: permits().replace('issuedOn: String!', '') },
  });
  expect(unused.body).toMatchObject({
    ok: true,
    changes: [{ severity: 'breaking', coordinate: 'Permit.issuedOn', usedBy: [] }],
  });

  // A removed type counts the uses of its fields; an argument change counts the uses of its field.
  const typeGone = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: {
      sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Agency @key(fields: "code") { code: ID! permitCount: Int }
        type Query { permitCount: Int }`,
    },
  });
  expect(typeGone.body.ok).toBe(false);
  const byCoordinate = Object.fromEntries(
    typeGone.body.changes
      .filter((c: any) => c.severity === 'breaking')
      .map((c: any) => [c.coordinate, c.usedBy]),
  );
  expect(byCoordinate['Agency.permits']).toEqual([
    { client: 'partner:000.00.31.H26', operation: 'Agency', count: 1 },
  ]);
  expect(byCoordinate['Query.permit']).toEqual([{ client: 'portal', operation: 'PermitView', count: 12 }]);
  expect(byCoordinate.Permit).toEqual([{ client: 'portal', operation: 'PermitView', count: 12 }]);
  // Regression: `_` in a recorded coordinate was a LIKE wildcard, so `Query.permi_` matched the
  // change `Query.permit.year`. Coordinates match literally.
  await report({
    reports: [{ day: today, client: 'other', operation: 'Odd', coordinates: ['Query.permi_'], count: 1 }],
  });
  const argument = await call(registry, 'POST', `${ENV}/subgraphs/permits/check`, {
    token: partner,
    body: { sdl: permits().replace('permit(number: ID!)', 'permit(number: ID!, year: Int!)') },
  });
  expect(argument.body).toMatchObject({
    ok: false,
    changes: [{ severity: 'breaking', coordinate: 'Query.permit.year', usedBy: [{ client: 'portal' }] }],
  });
});

test('only officials and administrators report usage; reports are validated', async () => {
  const today = await daysAgo(0);
  const body = {
    reports: [{ day: today, client: 'x', operation: 'Y', coordinates: ['Permit.holder'], count: 1 }],
  };
  expect(await call(registry, 'POST', `${ENV}/usage`, { token: partner, body })).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN', message: 'a partner token may not report usage' } },
  });
  const bad = await call(registry, 'POST', `${ENV}/usage`, {
    token: official,
    body: { reports: [{ ...body.reports[0], coordinates: ['Permit'] }] },
  });
  expect(bad).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  expect(bad.body.error.message).toMatch(/^body\.reports\.0\.coordinates\.0: must be Type\.field/);
});
