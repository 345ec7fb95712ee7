/**
 * The contracts feature's settings: the contracts file and the partners' contracts are checked when
 * the gateway is created, each problem named with its setting; and which contract a caller gets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Caller } from '../../common/identity';
import { contracts } from '../features/contracts';
import { parsePartnerContracts, partnerContract, servedPartners } from '../features/contracts/selection';
import { generateGatewayKeys } from '../../common/identity';
import { parseContractDefinitions } from '../../schema/contracts';

const caller = (role: 'partner' | 'official', agencyCode: string, ...scopes: string[]): Caller => ({
  subject: `${role}-1`,
  role,
  agencyCode,
  citizenId: null,
  scopes,
});
const callers = {
  partner: (agency: string, ...scopes: string[]) => caller('partner', agency, ...scopes),
  official: (agency: string) => caller('official', agency),
};

const dir = mkdtempSync(path.join(tmpdir(), 'contracts-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
// Only a registry URL makes the feature read the host's supergraph settings.
const create = (
  settings: {
    GATEWAY_CONTRACTS?: string;
    GATEWAY_PARTNER_CONTRACTS: string;
    GATEWAY_CONTRACTS_TOKEN?: string;
  },
  supergraph: { publicKey?: string } = {},
) =>
  contracts.create({ GATEWAY_CONTRACTS: undefined, GATEWAY_CONTRACTS_TOKEN: undefined, ...settings }, {
    config: { supergraph: { pollIntervalMs: 1000, timeoutMs: 1000, ...supergraph } },
    logger: { warn: () => undefined },
  } as never);

test('a missing, malformed or invalid contracts file fails with GATEWAY_CONTRACTS named', () => {
  expect(() =>
    create({ GATEWAY_CONTRACTS: path.join(dir, 'none.json'), GATEWAY_PARTNER_CONTRACTS: '' }),
  ).toThrow(/^GATEWAY_CONTRACTS: .*none\.json: ENOENT/);
  expect(() => create({ GATEWAY_CONTRACTS: file('bad.json', '{'), GATEWAY_PARTNER_CONTRACTS: '' })).toThrow(
    /^GATEWAY_CONTRACTS: .*bad\.json: /,
  );
  expect(() =>
    create({ GATEWAY_CONTRACTS: file('empty.json', '{"x": {}}'), GATEWAY_PARTNER_CONTRACTS: '' }),
  ).toThrow('GATEWAY_CONTRACTS: ' + path.join(dir, 'empty.json') + ': contract "x": give at least one');
});

test('partners may be given only contracts the file defines, in the documented form', () => {
  const ok = file('ok.json', '{"p": {"exclude": ["budgets"]}}');
  expect(() => create({ GATEWAY_CONTRACTS: ok, GATEWAY_PARTNER_CONTRACTS: '000.00.00.H62=q' })).toThrow(
    'GATEWAY_PARTNER_CONTRACTS: "000.00.00.H62=q": no contract named "q" in GATEWAY_CONTRACTS',
  );
  expect(() => create({ GATEWAY_CONTRACTS: ok, GATEWAY_PARTNER_CONTRACTS: 'p' })).toThrow(
    'GATEWAY_PARTNER_CONTRACTS: "p" must be <agency code>=<contract> or scope:<scope>=<contract>',
  );
  expect(() => create({ GATEWAY_PARTNER_CONTRACTS: '000.00.00.H62=p' })).toThrow(
    'GATEWAY_PARTNER_CONTRACTS: needs GATEWAY_CONTRACTS',
  );
  expect(create({ GATEWAY_PARTNER_CONTRACTS: '' })).toEqual({});
  expect(
    create({ GATEWAY_CONTRACTS: ok, GATEWAY_PARTNER_CONTRACTS: '000.00.00.H62=p' }).graphqlPaths,
  ).toEqual(['/graphql/contracts/:contract']);
});

test('a registry URL needs a token and the registry key; the token needs GATEWAY_CONTRACTS', () => {
  const url = 'http://registry:4400/v1/environments/production/contracts';
  expect(() => create({ GATEWAY_CONTRACTS: url, GATEWAY_PARTNER_CONTRACTS: '' })).toThrow(
    'GATEWAY_CONTRACTS_TOKEN: is required when GATEWAY_CONTRACTS is a registry URL (an official or admin token)',
  );
  expect(() =>
    create({ GATEWAY_CONTRACTS: url, GATEWAY_PARTNER_CONTRACTS: '', GATEWAY_CONTRACTS_TOKEN: 'jwt' }),
  ).toThrow(/^GATEWAY_SUPERGRAPH_PUBLIC_KEY: is required when GATEWAY_CONTRACTS is a registry URL/);
  expect(() => create({ GATEWAY_PARTNER_CONTRACTS: '', GATEWAY_CONTRACTS_TOKEN: 'jwt' })).toThrow(
    'GATEWAY_CONTRACTS_TOKEN: needs GATEWAY_CONTRACTS',
  );
  const parts = create(
    { GATEWAY_CONTRACTS: url, GATEWAY_PARTNER_CONTRACTS: '', GATEWAY_CONTRACTS_TOKEN: 'jwt' },
    { publicKey: generateGatewayKeys().publicKey },
  );
  // Fetched before the gateway listens, not when it is created.
  expect(typeof parts.start).toBe('function');
  expect(parts.ready!()).toEqual({
    contracts: { hash: undefined, since: undefined, reloads: 0, refusals: 0 },
  });
});

test("the contracts' partners serve, GATEWAY_PARTNER_CONTRACTS wins for what both name; one partner, one contract", () => {
  const definitions = parseContractDefinitions({
    a: { exclude: ['x'], partners: ['000.00.00.H62', 'scope:dossiers:read'] },
    b: { exclude: ['y'], partners: ['000.00.94.H18'] },
  });
  const map = servedPartners(definitions, '000.00.00.H62=b');
  if (typeof map === 'string') throw new Error(map);
  expect(partnerContract(callers.partner('000.00.00.H62'), map)).toBe('b');
  expect(partnerContract(callers.partner('000.00.94.H18'), map)).toBe('b');
  expect(partnerContract(callers.partner('000.00.31.H26', 'dossiers:read'), map)).toBe('a');
  expect(servedPartners(definitions, '000.00.00.H62=c')).toBe(
    '"000.00.00.H62=c": no contract named "c" in GATEWAY_CONTRACTS',
  );
  expect(() =>
    parseContractDefinitions({
      a: { exclude: ['x'], partners: ['P1'] },
      b: { exclude: ['y'], partners: ['P1'] },
    }),
  ).toThrow('contract "b": partner P1 is already served contract "a"');
  expect(() => parseContractDefinitions({ a: { exclude: ['x'], partners: ['two words'] } })).toThrow(
    'contract "a": partners must be a list of agency codes or scope:<scope>',
  );
});

test("a partner gets its agency's contract first, then its scopes'; other roles none", () => {
  const map = parsePartnerContracts('000.00.00.H62=a, scope:dossiers:read=b', new Set(['a', 'b']));
  if (typeof map === 'string') throw new Error(map);
  expect(partnerContract(callers.partner('000.00.00.H62', 'dossiers:read'), map)).toBe('a');
  expect(partnerContract(callers.partner('000.00.94.H18', 'documents:read', 'dossiers:read'), map)).toBe('b');
  expect(partnerContract(callers.partner('000.00.94.H18', 'documents:read'), map)).toBeUndefined();
  expect(partnerContract(callers.official('000.00.00.H62'), map)).toBeUndefined();
  expect(partnerContract(undefined, map)).toBeUndefined();
});
