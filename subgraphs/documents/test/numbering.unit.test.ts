import { GraphQLError } from 'graphql';
import { formatNumberSymbol, parseNumberSymbol } from '../numbering';

describe('number/symbol grammar (Decree 30/2020)', () => {
  test.each([
    ['125/QĐ-UBND', { number: 125, numberYear: null, typeCode: 'QĐ', organSymbol: 'UBND', unitSymbol: null }],
    [
      '12/2024/QĐ-UBND',
      { number: 12, numberYear: 2024, typeCode: 'QĐ', organSymbol: 'UBND', unitSymbol: null },
    ],
    ['45/UBND-KT', { number: 45, numberYear: null, typeCode: null, organSymbol: 'UBND', unitSymbol: 'KT' }],
    [
      '7816/VPCP-TTĐT',
      { number: 7816, numberYear: null, typeCode: null, organSymbol: 'VPCP', unitSymbol: 'TTĐT' },
    ],
    ['3/KH-UBND-VX', { number: 3, numberYear: null, typeCode: 'KH', organSymbol: 'UBND', unitSymbol: 'VX' }],
    ['9/QyĐ-UBND', { number: 9, numberYear: null, typeCode: 'QyĐ', organSymbol: 'UBND', unitSymbol: null }],
    ['15/TTr-STC', { number: 15, numberYear: null, typeCode: 'TTr', organSymbol: 'STC', unitSymbol: null }],
  ])('%s parses into parts and formats back', (raw, parts) => {
    expect(parseNumberSymbol(raw)).toEqual(parts);
    expect(formatNumberSymbol(parseNumberSymbol(raw))).toBe(raw);
  });

  test('NFD input and stray spaces are normalised', () => {
    expect(formatNumberSymbol(parseNumberSymbol(' 125 / QĐ-UBND'.normalize('NFD')))).toBe('125/QĐ-UBND');
  });

  test('legacy abbreviations map to Decree 30 codes; "CV" means công văn', () => {
    expect(parseNumberSymbol('4/GN-UBND').typeCode).toBe('BGN');
    expect(formatNumberSymbol(parseNumberSymbol('12/CV-UBND'))).toBe('12/UBND');
  });

  test.each(['QĐ-UBND', '125/QĐ', '0/QĐ-UBND', '125/QĐ-ubnd', '125/2024/QĐ', 'abc/QĐ-UBND', ''])(
    '%j is rejected with BAD_USER_INPUT naming the field',
    (raw) => {
      try {
        parseNumberSymbol(raw, 'input.numberSymbol');
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(GraphQLError);
        expect((e as GraphQLError).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.numberSymbol',
        });
      }
    },
  );
});
