import { maskAddress, maskBirthYear, maskDigits, maskName } from '../runtime/personal-data/masks';

test('names keep each word’s first letter and at most three stars', () => {
  expect(maskName('Nguyễn Văn A')).toBe('N*** V** A');
  expect(maskName('  Đặng   Thị Hương ')).toBe('Đ*** T** H***');
});

test('ID numbers show their last 3 digits, birth years their century, addresses the commune up', () => {
  expect(maskDigits('001085012345')).toBe('*********345');
  expect(maskBirthYear(1985)).toBe('19**');
  expect(maskAddress('Số 12, Tổ dân phố 5, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội')).toBe(
    '***, Phường Liên Mạc, Quận Bắc Từ Liêm, Thành phố Hà Nội',
  );
});

test('phones hide their length too', () => {
  expect(maskDigits('0912 345 678')).toBe('*********678');
});
