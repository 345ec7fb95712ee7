/**
 * The subscriptions feature's decisions before anything runs (features/subscriptions/filter.ts):
 * who may receive an envelope at all, which field an event feeds, key arguments, stream id order.
 */
import { parse } from 'graphql';
import { ANONYMOUS } from '../../common/identity';
import type { Caller } from '../../common/identity';
import {
  compareStreamIds,
  concerns,
  eventTypeOf,
  isPublicField,
  mayReceive,
  mayReceiveOn,
  subscriptionRoot,
} from '../features/subscriptions/filter';
import type { EventEnvelope } from '../../common/events';
import { entryEvent } from '../features/subscriptions/stream';

const caller = (role: Caller['role'], extra: Partial<Caller> = {}): Caller => ({
  ...ANONYMOUS,
  subject: `${role}-1`,
  role,
  ...extra,
});

const envelope: EventEnvelope = {
  id: 'e1',
  type: 'DossierStatusChanged',
  source: 'dossiers',
  sequence: 1,
  recordedAt: '2026-12-06T00:00:00Z',
  entity: { typename: 'Dossier', key: { code: '000.00.21.H26-250310-0001' } },
  agencyCode: '000.00.21.H26',
  agencyPath: ['000.00.21.H26', '000.00.00.H26'],
  citizenIds: ['001190123456'],
  data: {},
};

test('the pre-filter: officials and partners by agency path, citizens by id, analysts and admins all, anonymous none', () => {
  expect(mayReceive(caller('official', { agencyCode: '000.00.21.H26' }), envelope)).toBe(true);
  expect(mayReceive(caller('official', { agencyCode: '000.00.00.H26' }), envelope)).toBe(true); // a parent
  expect(mayReceive(caller('official', { agencyCode: '000.00.46.H62' }), envelope)).toBe(false);
  expect(mayReceive(caller('partner', { agencyCode: '000.00.46.H62' }), envelope)).toBe(false);
  expect(mayReceive(caller('citizen', { citizenId: '001190123456' }), envelope)).toBe(true);
  expect(mayReceive(caller('citizen', { citizenId: '026190654321' }), envelope)).toBe(false);
  expect(mayReceive(caller('analyst'), envelope)).toBe(true);
  expect(mayReceive(caller('admin'), envelope)).toBe(true);
  expect(mayReceive(ANONYMOUS, envelope)).toBe(false);
});

test('a field is fed by the event named as it in PascalCase; a key argument set to another entity skips it', () => {
  expect(eventTypeOf('dossierStatusChanged')).toBe('DossierStatusChanged');
  const doc = parse(`subscription W($c: ID) { changed: dossierStatusChanged(code: $c) { id } }`);
  const any = subscriptionRoot(doc, 'W', {})!;
  expect(any).toMatchObject({ name: 'dossierStatusChanged', responseKey: 'changed' });
  expect(concerns(any, envelope)).toBe(true);
  expect(concerns(subscriptionRoot(doc, 'W', { c: '000.00.21.H26-250310-0001' })!, envelope)).toBe(true);
  expect(concerns(subscriptionRoot(doc, 'W', { c: '000.00.21.H26-250310-0002' })!, envelope)).toBe(false);
  expect(concerns(any, { ...envelope, type: 'DocumentReceived' })).toBe(false);
  // Through a fragment, and not for a query.
  const viaFragment = parse(
    `subscription { ...F } fragment F on Subscription { dossierStatusChanged { id } }`,
  );
  expect(subscriptionRoot(viaFragment, undefined, {})?.name).toBe('dossierStatusChanged');
  expect(subscriptionRoot(parse('{ __typename }'), undefined, {})).toBeUndefined();
});

test('a public field (its name holds `Public`) reaches anyone, anonymous included, for the one entity its key arguments name', () => {
  expect(isPublicField('dossierPublicStatusChanged')).toBe(true);
  expect(isPublicField('dossierStatusChanged')).toBe(false);
  expect(isPublicField('republicationPosted')).toBe(false); // the word, not the letters
  expect(eventTypeOf('dossierPublicStatusChanged')).toBe('DossierStatusChanged');
  const doc = parse(`subscription P($c: String!) { dossierPublicStatusChanged(code: $c) { status } }`);
  const mine = subscriptionRoot(doc, 'P', { c: '000.00.21.H26-250310-0001' })!;
  const other = subscriptionRoot(doc, 'P', { c: '000.00.21.H26-250310-0002' })!;
  expect(concerns(mine, envelope)).toBe(true);
  expect(mayReceiveOn(mine, ANONYMOUS, envelope)).toBe(true);
  expect(mayReceiveOn(other, ANONYMOUS, envelope)).toBe(false);
  expect(mayReceiveOn(other, caller('admin'), envelope)).toBe(false);
  // No key argument: not a feed of every dossier, for anyone.
  const feed = subscriptionRoot(
    parse(`subscription { dossierPublicStatusChanged { status } }`),
    undefined,
    {},
  )!;
  expect(mayReceiveOn(feed, ANONYMOUS, envelope)).toBe(false);
  expect(mayReceiveOn(feed, caller('admin'), envelope)).toBe(false);
  // A private field keeps the role rule.
  const priv = subscriptionRoot(parse(`subscription { dossierStatusChanged { id } }`), undefined, {})!;
  expect(mayReceiveOn(priv, ANONYMOUS, envelope)).toBe(false);
  expect(mayReceiveOn(priv, caller('citizen', { citizenId: '001190123456' }), envelope)).toBe(true);
});

test('stream ids order by time then sequence, beyond the doubles', () => {
  expect(compareStreamIds('1733459000000-0', '1733459000000-1')).toBeLessThan(0);
  expect(compareStreamIds('1733459000001-0', '1733459000000-9')).toBeGreaterThan(0);
  expect(compareStreamIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0);
  expect(compareStreamIds('5-5', '5-5')).toBe(0);
});

test('a stream entry without a well-formed envelope is skipped', () => {
  expect(entryEvent('1-0', ['id', 'e1', 'event', JSON.stringify(envelope)])?.envelope.id).toBe('e1');
  expect(entryEvent('1-0', ['id', 'e1'])).toBeUndefined();
  expect(entryEvent('1-0', ['event', '{not json'])).toBeUndefined();
  expect(entryEvent('1-0', ['event', JSON.stringify({ ...envelope, agencyPath: 'x' })])).toBeUndefined();
});
