/**
 * The kinds of land change (biến động) the cadastre records, and the district land procedure (its
 * name in the one-stop procedure catalogue) that decides each: the land subgraph checks a recorded
 * change against it, and the seeds plan their dossiers by it (kit/synthetic/landChanges.ts).
 */
export type LandChangeKind = 'SPLIT' | 'MERGE' | 'TRANSFER' | 'CHANGE_OF_USE';

/** The district land procedure (name in the one-stop procedure catalogue) deciding each kind of change. */
export const LAND_CHANGE_PROCEDURES: Readonly<Record<LandChangeKind, string>> = {
  TRANSFER: 'Đăng ký biến động do chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất',
  CHANGE_OF_USE: 'Chuyển mục đích sử dụng đất phải được phép',
  SPLIT: 'Tách thửa hoặc hợp thửa đất',
  MERGE: 'Tách thửa hoặc hợp thửa đất',
};
