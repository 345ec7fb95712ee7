/** Entity references arriving from other subgraphs: a malformed key is simply not found. */
import { parseParcelId } from '../../../kit';

export function parcelIdentityOrNull(raw: string): string | null {
  const p = parseParcelId(raw);
  return p ? `${p.originalCommuneCode}/${p.sheet}/${p.parcel}` : null;
}
