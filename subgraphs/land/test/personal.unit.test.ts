import { formatTenths, parseArea, plusYears } from '../domain';
import { maskAddress, maskBirthYear, maskIdNumber, maskName } from '../personal';

test('names keep each word’s first letter and at most three stars', () => {
  expect(maskName('Nguyễn Văn A')).toBe('N*** V** A');
  expect(maskName('  Đặng   Thị Hương ')).toBe('Đ*** T** H***');
});

test('ID numbers show their last 3 digits, birth years their century, addresses the commune up', () => {
  expect(maskIdNumber('001085012345')).toBe('*********345');
  expect(maskBirthYear(1985)).toBe('19**');
  expect(maskAddress('Số 12, Tổ dân phố 5, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội')).toBe(
    '***, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội',
  );
});

test('areas are exact tenths of m²; a malformed area names its field', () => {
  expect(parseArea('152.5', 'a')).toBe(1525);
  expect(formatTenths(1525)).toBe('152.5');
  expect(() => parseArea('1.25', 'input.results[0].area')).toThrow(/input.results\[0\].area/);
  expect(plusYears('2020-02-29', 50)).toBe('2070-02-28');
});
