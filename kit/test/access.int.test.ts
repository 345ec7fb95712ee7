/**
 * The kit's access rules (kit/runtime/access.ts) over the real reference catalogue, and personal data masked
 * from the SDL (kit/runtime/personal-data/protect.ts) in a fixture subgraph: who sees what unmasked, what is reported
 * to the audit trail, and the declarations that stop start-up when they do not match the SDL.
 */
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import pino from 'pino';
import { createAccess } from '../runtime/access';
import type { AuditTrail } from '../runtime/auditlog/trail';
import { auditLogModule } from '../runtime/auditlog';
import { referenceCatalogue } from '../reference/catalogue';
import type { Caller } from '../runtime/context';
import type { Database } from '../runtime/db';
import { migrate } from '../runtime/migrate';
import { protectPersonalData } from '../runtime/personal-data/protect';
import { withSharedSdl } from '../runtime/sdl';
import { createSubgraphServer } from '../runtime/server';
import { callers, createTestDatabase } from '../testing';
import {
  generateGatewayKeys,
  importGatewayPrivateKey,
  CALLER_HEADER,
  signCallerToken,
} from '../../common/identity';

const VINH_PHUC = '000.00.00.H62';
const LAP_THACH = '000.00.46.H62';
const LAP_THACH_TOWN = '000.01.46.H62'; // thị trấn Lập Thạch, under the district
const DIEN_BIEN_PHU = '000.00.94.H18';

let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  // The audit log too: the fixture subgraph records the disclosures it makes (fail closed without it).
  await migrate(db, [auditLogModule, referenceCatalogue]);
  await referenceCatalogue.seed(db);
}, 60_000);
afterAll(async () => db?.close());

describe('agency scope', () => {
  test('an official sees their agency and every agency under it, read once per request', async () => {
    const access = createAccess(callers.official(VINH_PHUC), 'dossiers', db);
    const t0 = db.roundTrips;
    expect(await access.canSeeAgency(VINH_PHUC)).toBe(true);
    expect(await access.canSeeAgency(LAP_THACH)).toBe(true);
    expect(await access.canSeeAgency(LAP_THACH_TOWN)).toBe(true);
    expect(await access.canSeeAgency(DIEN_BIEN_PHU)).toBe(false);
    expect(await access.agencyFilter()).toEqual(
      expect.arrayContaining([VINH_PHUC, LAP_THACH, LAP_THACH_TOWN]),
    );
    expect(db.roundTrips - t0).toBe(1);
    const district = createAccess(callers.official(LAP_THACH), 'dossiers', db);
    expect(await district.canSeeAgency(VINH_PHUC)).toBe(false); // not upwards
    expect(await district.canSeeAgency(LAP_THACH_TOWN)).toBe(true);
  });

  test('rows by role: admins and analysts all, citizens their own, partners only with the system scope', async () => {
    const rows = (caller: Caller) => createAccess(caller, 'dossiers', db).rows();
    expect(await rows(callers.admin)).toEqual({ kind: 'all' });
    expect(await rows(callers.analyst)).toEqual({ kind: 'all' });
    expect(await rows(callers.citizen('001085012345'))).toEqual({
      kind: 'citizen',
      citizenId: '001085012345',
    });
    expect(await rows(callers.anonymous)).toEqual({ kind: 'public' });
    expect(await rows(callers.partner(LAP_THACH, 'documents:read'))).toEqual({ kind: 'public' });
    const partner = await rows(callers.partner(LAP_THACH, 'dossiers:read'));
    expect(partner.kind === 'agencies' && partner.codes).toEqual(
      expect.arrayContaining([LAP_THACH, LAP_THACH_TOWN]),
    );
    expect(await createAccess(callers.analyst, 'dossiers', db).agencyFilter()).toBeNull();
    expect(await createAccess(callers.anonymous, 'dossiers', db).agencyFilter()).toEqual([]);
  });

  test('requireOfficialOf: anonymous UNAUTHENTICATED; everyone but an official in scope FORBIDDEN naming the agency', async () => {
    const refusal = async (caller: Caller) => {
      try {
        await createAccess(caller, 'dossiers', db).requireOfficialOf(LAP_THACH, 'input.agencyCode');
        return null;
      } catch (e) {
        const err = e as { message: string; extensions: Record<string, unknown> };
        return {
          code: err.extensions.code,
          field: err.extensions.field,
          names: err.message.includes(LAP_THACH),
        };
      }
    };
    expect(await refusal(callers.anonymous)).toEqual({
      code: 'UNAUTHENTICATED',
      field: 'input.agencyCode',
      names: true,
    });
    for (const c of [
      callers.admin,
      callers.analyst,
      callers.citizen('001085012345'),
      callers.partner(LAP_THACH, 'dossiers:read'),
      callers.official(DIEN_BIEN_PHU),
      callers.official(LAP_THACH_TOWN),
    ])
      expect(await refusal(c)).toEqual({ code: 'FORBIDDEN', field: 'input.agencyCode', names: true });
    expect(await refusal(callers.official(LAP_THACH))).toBeNull();
    expect(await refusal(callers.official(VINH_PHUC))).toBeNull();
  });

  test('requireSignedIn: UNAUTHENTICATED naming what for an anonymous caller; every signed-in role passes', () => {
    const refusal = (caller: Caller) => {
      try {
        createAccess(caller, 'mail', db).requireSignedIn('the directory of officials');
        return null;
      } catch (e) {
        const err = e as { message: string; extensions: Record<string, unknown> };
        return [err.extensions.code, err.message];
      }
    };
    expect(refusal(callers.anonymous)).toEqual([
      'UNAUTHENTICATED',
      'Sign in to read the directory of officials',
    ]);
    for (const c of [
      callers.admin,
      callers.analyst,
      callers.citizen('001085012345'),
      callers.partner(LAP_THACH, 'dossiers:read'),
      callers.official(DIEN_BIEN_PHU),
    ])
      expect([c.role, refusal(c)]).toEqual([c.role, null]);
  });

  test('personal data: admins, officials in scope and the citizen it is about; never analysts, partners or anonymous', async () => {
    const owner = { agencyCode: LAP_THACH_TOWN, citizenId: '026090123456' };
    const may = (caller: Caller) => createAccess(caller, 'dossiers', db).maySeePersonal(owner);
    expect(await may(callers.admin)).toBe(true);
    expect(await may(callers.official(LAP_THACH))).toBe(true);
    expect(await may(callers.citizen('026090123456'))).toBe(true);
    expect(await may(callers.official(DIEN_BIEN_PHU))).toBe(false);
    expect(await may(callers.citizen('026090999999'))).toBe(false);
    expect(await may(callers.analyst)).toBe(false);
    expect(await may(callers.partner(LAP_THACH, 'dossiers:read'))).toBe(false);
    expect(await may(callers.anonymous)).toBe(false);
  });
});

describe('@personalData in the SDL', () => {
  const sdl = (fields: string) =>
    withSharedSdl(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])
      type Query { people: [Person!]! }
      type Person { id: ID! ${fields} }`);
  const FIELDS = `name: String! @personalData(mask: NAME)
    idNumber: String @personalData(level: BASIC, mask: DIGITS)
    address: String! @personalData(mask: ADDRESS)
    birthYear: String @personalData(mask: BIRTH_YEAR)
    ip: String @personalData(mask: IP)
    note: String @personalData(level: SENSITIVE)
    visits: [String!]! @personalData(mask: HIDE)`;
  const PEOPLE = [
    {
      id: '1',
      agencyCode: LAP_THACH,
      name: 'Nguyễn Văn An',
      idNumber: '026090123456',
      address: 'Số 5, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
      birthYear: 1990,
      ip: '10.1.2.3',
      note: 'hồ sơ bệnh án',
      visits: ['2024-01-02'],
    },
  ];
  const owners = {
    Person: (p: (typeof PEOPLE)[number]) => ({ id: p.id, agencyCode: p.agencyCode, citizenId: p.idNumber }),
  };
  const resolvers = { Query: { people: () => PEOPLE } };

  let app: ReturnType<typeof createSubgraphServer>;
  const keys = generateGatewayKeys();
  const disclosed: { caller: string; entries: unknown }[] = [];
  beforeAll(async () => {
    app = createSubgraphServer({
      name: 'people',
      typeDefs: sdl(FIELDS),
      resolvers: {
        ...resolvers,
        Query: {
          people: (_: unknown, __: unknown, ctx: { audit: AuditTrail; caller: Caller }) => {
            // Read the trail once the response is built: after the fields resolved.
            setImmediate(() => disclosed.push({ caller: ctx.caller.role, entries: ctx.audit.disclosures() }));
            return PEOPLE;
          },
        },
      },
      personalData: owners,
      createLoaders: () => ({}),
      db,
      logger: pino({ level: 'silent' }),
      maxPageSize: 100,
      gatewayPublicKey: keys.publicKey,
    });
    await app.ready();
  });
  afterAll(async () => app?.close());

  const people = async (caller: Caller) => {
    const key = await importGatewayPrivateKey(keys.privateKey);
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { [CALLER_HEADER]: await signCallerToken(caller, key, { audience: 'people' }) },
      payload: { query: '{ people { id name idNumber address birthYear ip note visits } }' },
    });
    const body = res.json();
    expect(body.errors).toBeUndefined();
    return body.data.people[0];
  };

  test('masked by the directive for callers who may not see it; shown, and reported, for those who may', async () => {
    const masked = {
      id: '1',
      name: 'N*** V** A*',
      idNumber: '*********456',
      address: '***, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
      birthYear: '19**',
      ip: '10.1.*.*',
      note: null,
      visits: [],
    };
    expect(await people(callers.analyst)).toEqual(masked);
    expect(await people(callers.official(DIEN_BIEN_PHU))).toEqual(masked);
    expect(await people(callers.anonymous)).toEqual(masked);
    const raw = { ...PEOPLE[0], birthYear: '1990' } as Record<string, unknown>;
    delete raw.agencyCode;
    expect(await people(callers.official(LAP_THACH))).toEqual(raw);
    expect(await people(callers.citizen('026090123456'))).toEqual(raw);
    await new Promise((r) => setImmediate(r));
    const fields = ['name', 'idNumber', 'address', 'birthYear', 'ip', 'note', 'visits'];
    expect(disclosed.find((d) => d.caller === 'analyst')?.entries).toEqual([]);
    expect(disclosed.find((d) => d.caller === 'official')?.entries).toEqual([]); // Điện Biên Phủ's: none
    expect(disclosed.filter((d) => d.caller === 'citizen').map((d) => d.entries)).toEqual([
      [{ type: 'Person', id: '1', fields: expect.arrayContaining(fields) }],
    ]);
  });

  test('start-up fails, naming the type or field, when the declarations do not match the SDL', () => {
    const build = (fields: string, owned: Record<string, unknown> = owners) =>
      protectPersonalData(
        buildSubgraphSchema({
          typeDefs: parse(sdl(fields)),
          resolvers: resolvers as GraphQLResolverMap<unknown>,
        }),
        owned as never,
      );
    expect(build(FIELDS)).toEqual(
      fields_('Person', ['name', 'idNumber', 'address', 'birthYear', 'ip', 'note', 'visits']),
    );
    expect(() => build(FIELDS, {})).toThrow(
      /type Person has @personalData fields \(name, idNumber.*\) but no owner/,
    );
    expect(() => build('name: String!', owners)).toThrow(
      /owner for Person, which has no @personalData field/,
    );
    expect(() => build('name: String! @personalData')).toThrow(
      /Person\.name: mask HIDE needs a nullable field or a list/,
    );
    expect(() => build('tags: [String] @personalData(mask: NAME)')).toThrow(
      /Person\.tags: a list can only be masked with HIDE/,
    );
  });
});

const fields_ = (type: string, names: string[]) => names.map((n) => `${type}.${n}`);
