/**
 * Resolvers of the documents subgraph, one file per GraphQL type: thin, validating, and batched through
 * the request's loaders. Typed by the resolver types generated from the SDL (`npm run codegen`), with
 * the row types of db/rows.ts and the kit catalogue as parents (codegen.json's mappers). Fields read
 * straight off a camelCase row need no resolver.
 */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { AdministrativeUnit, UnitSuccession } from './administrativeUnit';
import { Agency, DocumentStats } from './agency';
import { Document, Recipient, Signer } from './document';
import { ExchangeHop } from './exchange';
import { Mutation } from './mutation';
import { EdxmlPackageScalar } from '../edxml/scalar';
import { Official } from './official';
import { ProcessingAssignment } from './processingAssignment';
import { Query } from './query';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  EdxmlPackage: EdxmlPackageScalar,
  Query,
  Mutation,
  Agency,
  DocumentStats,
  AdministrativeUnit,
  UnitSuccession,
  Document,
  Signer,
  Recipient,
  ProcessingAssignment,
  Official,
  ExchangeHop,
};
