import { exactKey, foldKey, likeEscape, normalizeTonePlacement } from '../text';

describe('Vietnamese search keys', () => {
  test('NFD input (pasted from macOS) folds like NFC input', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(nfd.length).toBe(8);
    expect(foldKey(nfd)).toBe('nguyen');
    expect(exactKey(nfd)).toBe('nguyễn');
  });

  test('đ and Đ fold to d, which NFD alone does not do', () => {
    expect('Đông'.normalize('NFD').replace(/\p{M}/gu, '')).toBe('Đong');
    expect(foldKey('Đông Thạnh')).toBe('dong thanh');
    expect(foldKey('ĐIỆN BIÊN PHỦ')).toBe('dien bien phu');
  });

  test('old and new tone placement compare equal in the exact key', () => {
    expect(exactKey('Hoà Bình')).toBe(exactKey('Hòa Bình'));
    expect(exactKey('Thuỷ')).toBe(exactKey('Thủy'));
    expect(exactKey('khoẻ')).toBe(exactKey('khỏe'));
    expect(normalizeTonePlacement('Hoà')).toBe('Hòa');
  });

  test('tone placement leaves closed syllables and qu+y alone', () => {
    expect(normalizeTonePlacement('Hoàng')).toBe('Hoàng');
    expect(normalizeTonePlacement('quý')).toBe('quý');
    expect(normalizeTonePlacement('Thuyền')).toBe('Thuyền');
  });

  test('names that differ only in accents stay apart in the exact key but meet in the folded key', () => {
    expect(exactKey('Đông Thành')).not.toBe(exactKey('Đông Thạnh'));
    expect(foldKey('Đông Thành')).toBe(foldKey('Đông Thạnh'));
  });

  test('white space is collapsed and case ignored', () => {
    expect(foldKey('  Thư   ĐIỆN\ttử ')).toBe('thu dien tu');
  });

  test('LIKE wildcards in user text are escaped', () => {
    expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});
