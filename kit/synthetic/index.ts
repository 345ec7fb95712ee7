/**
 * Synthetic data for seeds and tests — nobody and nothing here exists: the seeds' PRNG, people
 * (officials, citizens, businesses), the seeded cadastre's parcels and land changes. Production code
 * (resolvers, db writes) never imports it: ESLint's synthetic-data zone (eslint.config.mjs) allows it
 * only in a subgraph's seed/ and test/ folders, in test/ and in scripts/.
 */
export { Prng, fnv1a } from './prng';
export {
  LEADER_POSITIONS,
  businessName,
  houseAddress,
  streetAddress,
  syntheticCitizen,
  syntheticOfficial,
  syntheticPhone,
  syntheticTaxCode,
} from './people';
export type { SyntheticCitizen } from './people';
export { parcelPlan, seededParcels } from './parcels';
export {
  cadastralCommunes,
  createdParcelIds,
  districtAgencyOf,
  landChangePlan,
  landChangesOf,
  parcelOn,
} from './landChanges';
export type { PlannedLandChange } from './landChanges';
