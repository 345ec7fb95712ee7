/**
 * The portal page's labels and its trusted-document lookup against what they depend on: every status
 * and timeliness the API can answer has Vietnamese words (a new enum value would otherwise show as
 * its raw name to a citizen), the dates read the Vietnamese way, and the operations the page runs
 * are in the portal's manifest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import type { GraphQLEnumType } from 'graphql';
import { date, dateTime, errorText, FINAL, STATUS, TIMELINESS } from '../clients/portal/page/format';
import { hashOf } from '../clients/portal/page/trusted';

const schema = buildSchema(readFileSync(path.join(__dirname, '../clients/kit/schema.graphql'), 'utf8'));
const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

test('every DossierStatus and Timeliness value has its Vietnamese label', () => {
  expect(Object.keys(STATUS).sort()).toEqual(values('DossierStatus').sort());
  expect(Object.keys(TIMELINESS).sort()).toEqual(values('Timeliness').sort());
  for (const status of FINAL) expect(values('DossierStatus')).toContain(status);
});

test('dates read day/month/year, date-times in Vietnam time', () => {
  expect(date('2025-01-13')).toBe('13/01/2025');
  expect(date(null)).toBe('—');
  // 01:30 UTC is 08:30 in Hà Nội (UTC+7), whatever the machine's zone.
  expect(dateTime('2025-09-08T01:30:00.000Z')).toBe('08:30 08/09/2025');
  expect(dateTime(null)).toBe('—');
});

test('error codes become sentences a citizen reads', () => {
  expect(errorText('BAD_USER_INPUT', 'hồ sơ')).toMatch(/^Mã hồ sơ không đúng định dạng/);
  expect(errorText('NOT_FOUND', 'văn bản')).toBe('Không tìm thấy văn bản.');
  expect(errorText('INTERNAL_SERVER_ERROR', 'hồ sơ')).toContain('mã lỗi INTERNAL_SERVER_ERROR');
});

test('the page’s operations are the manifest’s, by hash', () => {
  const manifest = JSON.parse(
    readFileSync(path.join(__dirname, '../clients/portal/manifest.json'), 'utf8'),
  ) as Record<string, string>;
  expect(manifest[hashOf('DossierStatus')]).toMatch(/^query DossierStatus\(/);
  expect(manifest[hashOf('SearchDocuments')]).toMatch(/^query SearchDocuments\(/);
  expect(() => hashOf('Nope')).toThrow('Không có tài liệu tin cậy Nope');
});
