/**
 * The contracts feature's settings: the contracts file and the partners' contracts are checked when
 * the gateway is created, each problem named with its setting; and which contract a caller gets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Caller } from '../../common/identity';
import { contracts } from '../features/contracts';
import { parsePartnerContracts, partnerContract } from '../features/contracts/selection';

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
// The host argument is not read by this feature.
const create = (settings: { GATEWAY_CONTRACTS?: string; GATEWAY_PARTNER_CONTRACTS: string }) =>
  contracts.create({ GATEWAY_CONTRACTS: undefined, ...settings }, undefined as never);

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
    'GATEWAY_PARTNER_CONTRACTS: "000.00.00.H62=q": no contract named "q" in the contracts file',
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

test("a partner gets its agency's contract first, then its scopes'; other roles none", () => {
  const map = parsePartnerContracts('000.00.00.H62=a, scope:dossiers:read=b', new Set(['a', 'b']));
  if (typeof map === 'string') throw new Error(map);
  expect(partnerContract(callers.partner('000.00.00.H62', 'dossiers:read'), map)).toBe('a');
  expect(partnerContract(callers.partner('000.00.94.H18', 'documents:read', 'dossiers:read'), map)).toBe('b');
  expect(partnerContract(callers.partner('000.00.94.H18', 'documents:read'), map)).toBeUndefined();
  expect(partnerContract(callers.official('000.00.00.H62'), map)).toBeUndefined();
  expect(partnerContract(undefined, map)).toBeUndefined();
});
