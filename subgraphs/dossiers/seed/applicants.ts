/**
 * Synthetic applicants, from the kit's one generator of synthetic people (kit/synthetic/people.ts): citizens
 * with CCCD numbers and organisations with tax codes, living in the agency's own communes, phone
 * numbers on real mobile prefixes. Nobody here exists.
 */
import {
  businessName,
  streetAddress,
  syntheticCitizen,
  syntheticPhone,
  syntheticTaxCode,
} from '../../../kit/synthetic';
import type { Prng } from '../../../kit/synthetic';
import type { ApplicantKind } from '../generated/graphql';

export interface ApplicantSeed {
  kind: ApplicantKind;
  name: string;
  idNumber: string;
  phone: string | null;
  address: string;
}

/** Where applicants of an agency live: commune name, district name (if any), province name. */
export interface Locality {
  commune: string;
  district: string | null;
  province: string;
  provinceCode: string;
}

export function applicant(rng: Prng, place: Locality, year: number, organisation: boolean): ApplicantSeed {
  const address = streetAddress(
    rng,
    [place.commune, place.district, place.province].filter(Boolean).join(', '),
  );
  const phone = rng.chance(0.9) ? syntheticPhone(rng) : null;
  if (organisation)
    return {
      kind: 'TO_CHUC',
      name: businessName(rng, place.province.replace(/^(Tỉnh|Thành phố) /, '')),
      idNumber: syntheticTaxCode(rng),
      phone,
      address,
    };
  const person = syntheticCitizen(rng, {
    provinceCode: place.provinceCode,
    bornFrom: 1945,
    bornTo: year - 16,
  });
  return { kind: 'CONG_DAN', name: person.fullName, idNumber: person.idNumber, phone, address };
}
