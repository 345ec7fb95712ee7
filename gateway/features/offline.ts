/**
 * Nothing leaves the network: Apollo Studio usage and schema reporting are off even when APOLLO_KEY
 * happens to be set. (Apollo's CDN-hosted landing page is replaced by the graphiql feature.)
 * @apollo/gateway's own usage metrics are switched off by `APOLLO_TELEMETRY_DISABLED`, which the
 * process entry point (main.ts) sets: the library has no option for it.
 */
import {
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { defineFeature } from '../feature';

export const offline = defineFeature({
  name: 'offline',
  create: () => ({
    plugins: [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()],
  }),
});
