/**
 * The gateway's features, in order: plugins run and fetch wrappers nest in this order (first =
 * outermost). Adding a feature is its file plus one line here; see feature.ts.
 */
import type { GatewayFeature } from '../feature';
import { errorMasking } from './errorMasking';
import { graphiql } from './graphiql';
import { offline } from './offline';
import { operationResolution } from './operationResolution';
import { requestLogging } from './requestLogging';

export const defaultFeatures: readonly GatewayFeature[] = [
  offline,
  graphiql,
  requestLogging,
  operationResolution,
  errorMasking,
];
