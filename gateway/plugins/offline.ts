/**
 * Nothing leaves the network: Apollo Studio usage and schema reporting are off even when APOLLO_KEY
 * happens to be set, and Apollo's default landing page (which loads Apollo Sandbox from a CDN) is
 * replaced by a local page that sends browsers to the bundled GraphiQL — or by none at all.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GatewayContext } from '../context';

export interface OfflineOptions {
  /** Where browsers opening the GraphQL endpoint are sent; null disables the landing page. */
  graphiqlPath?: string | null;
}

export function offlinePlugins(options: OfflineOptions = {}): ApolloServerPlugin<GatewayContext>[] {
  const target = options.graphiqlPath;
  const landingPage: ApolloServerPlugin<GatewayContext> = target
    ? {
        async serverWillStart() {
          return {
            async renderLandingPage() {
              const href = target.replace(/[^A-Za-z0-9/_.-]/g, '');
              return {
                html: `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${href}"><title>govgraph</title></head><body><a href="${href}">Open GraphiQL</a></body></html>`,
              };
            },
          };
        },
      }
    : ApolloServerPluginLandingPageDisabled();
  return [
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    landingPage,
  ];
}
