/**
 * Resolvers of the land subgraph, one file per concern: thin, validating, and batched through the
 * request's loaders. Typed by the resolver types generated from the SDL (`npm run codegen`).
 */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { Agency, AgencyLandStats } from './agency';
import { LandCertificate, LandChange, LandHolder, TermOfUse } from './certificate';
import { DecimalScalar } from './decimal';
import { Mutation } from './mutation';
import { LandParcel, LandUse, PlanningOverlay } from './parcel';
import { Query } from './query';
import { AdministrativeUnit, LandStats, LandUseArea } from './unit';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  Decimal: DecimalScalar,
  Query,
  Mutation,
  LandParcel,
  LandUse,
  PlanningOverlay,
  LandCertificate,
  TermOfUse,
  LandHolder,
  LandChange,
  Agency,
  AgencyLandStats,
  AdministrativeUnit,
  LandStats,
  LandUseArea,
};
