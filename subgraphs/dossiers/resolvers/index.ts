/**
 * Resolvers of the dossiers subgraph, thin and batched through the request's loaders; typed by the
 * resolver types generated from the SDL (`npm run codegen`) with the row types of db/ as parents.
 * Fields read straight off a camelCase row need no resolver.
 */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { Applicant, Dossier, DossierPublicStatus, DossierStep } from './dossier';
import { Mutation } from './mutation';
import { Query } from './query';
import { Subscription } from './subscription';
import { Agency, DossierStats, LandParcel, OnlineServicePlan, Procedure, ProcedureConnection } from './types';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  Query,
  Mutation,
  Subscription,
  Agency,
  DossierStats,
  OnlineServicePlan,
  LandParcel,
  Procedure,
  ProcedureConnection,
  Dossier,
  DossierPublicStatus,
  Applicant,
  DossierStep,
};
