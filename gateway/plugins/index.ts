/**
 * The gateway's default feature list. Each feature is a small ApolloServerPlugin factory in its own
 * file; add one here (or pass extra plugins to createGateway) without editing the core.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { errorMaskingPlugin } from './errorMasking';
import type { ErrorMaskingOptions } from './errorMasking';
import { offlinePlugins } from './offline';
import type { OfflineOptions } from './offline';
import { operationResolutionPlugin } from './operationResolution';
import { requestLoggingPlugin } from './requestLogging';
import type { RequestLoggingOptions } from './requestLogging';

export interface DefaultPluginOptions {
  errorMasking?: ErrorMaskingOptions;
  requestLogging?: RequestLoggingOptions;
  offline?: OfflineOptions;
}

export function defaultPlugins(options: DefaultPluginOptions = {}): ApolloServerPlugin<GatewayContext>[] {
  return [
    ...offlinePlugins(options.offline),
    requestLoggingPlugin(options.requestLogging),
    operationResolutionPlugin(),
    errorMaskingPlugin(options.errorMasking),
  ];
}

export { errorMaskingPlugin, offlinePlugins, operationResolutionPlugin, requestLoggingPlugin };
export type { ErrorMaskingOptions, OfflineOptions, RequestLoggingOptions };
