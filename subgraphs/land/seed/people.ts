/**
 * Land holders as certificates name them, from the kit's one generator of synthetic people
 * (kit/synthetic/people.ts: names, CCCD numbers, addresses; all SYNTHETIC): households of one holder or a married
 * couple, the applicant of a planned land change, and organisations by the kind of land they hold.
 */
import { businessName, syntheticCitizen } from '../../../kit/synthetic';
import type { Prng, SyntheticCitizen } from '../../../kit/synthetic';
import type { HolderInput } from '../db/changes';

const holder = (p: SyntheticCitizen, address: string): HolderInput => ({
  holderType: 'CNV',
  fullName: p.fullName,
  birthYear: p.birthYear,
  idNumber: p.idNumber,
  address,
});

/** A household headed by `head` (drawn when not given): alone, or with a spouse (both are listed). */
export function household(
  rng: Prng,
  provinceCode: string,
  address: string,
  head: SyntheticCitizen = syntheticCitizen(rng, {
    provinceCode,
    bornFrom: 1940,
    bornTo: 1998,
    female: rng.chance(0.25),
  }),
): HolderInput[] {
  if (!rng.chance(0.55)) return [holder(head, address)];
  const spouse = syntheticCitizen(rng, {
    provinceCode,
    bornFrom: Math.max(1940, head.birthYear - 6),
    bornTo: Math.min(1998, head.birthYear + 4),
    female: !head.female,
  });
  return [holder(head, address), holder(spouse, address)];
}

/** One person as the sole holder (e.g. the transferee of a transfer). */
export const soleHolder = (p: SyntheticCitizen, address: string): HolderInput[] => [holder(p, address)];

export function organisation(
  rng: Prng,
  holderType: 'TKT' | 'TCN' | 'TSN' | 'CDS',
  communeName: string,
  provinceName: string,
  address: string,
): HolderInput {
  const fullName =
    holderType === 'TKT'
      ? businessName(rng, provinceName.replace(/^(Tỉnh|Thành phố) /, ''))
      : holderType === 'CDS'
        ? `Cộng đồng dân cư ${address.split(',')[0]}`
        : holderType === 'TCN'
          ? `Ủy ban nhân dân ${communeName.replace(/^(Xã|Phường|Thị trấn)/, (t) => t.toLowerCase())}`
          : `Trường Tiểu học ${communeName.replace(/^(Xã|Phường|Thị trấn) /, '')}`;
  return { holderType, fullName, birthYear: null, idNumber: null, address };
}
