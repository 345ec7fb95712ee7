import { exactKey, foldKey, likeEscape, normalizeTonePlacement, syllables } from '../reference/text';

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

  test('keys are syllables: punctuation separates, letters and digits stay together', () => {
    expect(foldKey('125/QĐ-UBND')).toBe('125 qd ubnd');
    expect(exactKey('125/QĐ-UBND')).toBe('125 qđ ubnd');
    expect(foldKey('V/v triển khai (đợt 2), "Kế hoạch" số 12/KH-UBND…')).toBe(
      'v v trien khai dot 2 ke hoach so 12 kh ubnd',
    );
    expect(exactKey('Xã Hoà Bình, tỉnh Hòa Bình.')).toBe('xã hòa bình tỉnh hòa bình');
    expect(syllables(' – ; ')).toBe('');
    expect(syllables('Nguyễn'.normalize('NFD'))).toBe('Nguyễn'.normalize('NFD'));
    // "hoa" is a syllable of "hòa" but not of "hoạch": whole-syllable comparison keeps them apart.
    expect(` ${foldKey('Kế hoạch')} `).not.toContain(' hoa ');
  });

  test('LIKE wildcards in user text are escaped', () => {
    expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});
