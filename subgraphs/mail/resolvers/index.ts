/**
 * Resolvers of the mail subgraph, thin and batched through the request's loaders; typed by the
 * resolver types generated from the SDL (`npm run codegen`) with the row types of db/ as parents.
 * Fields read straight off a camelCase row need no resolver.
 */
import { kpiResolvers, scalarResolvers } from '../../../kit';
import type { Resolvers } from '../generated/graphql';
import { Query } from './query';
import {
  Agency,
  Attachment,
  DocumentCitation,
  LoginRecord,
  MailStats,
  Mailbox,
  Message,
  Official,
  OfficialConnection,
} from './types';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  ...kpiResolvers,
  Query,
  Agency,
  Official,
  OfficialConnection,
  Mailbox,
  LoginRecord,
  MailStats,
  Message,
  Attachment,
  DocumentCitation,
};
