/**
 * The gateway's features, in order: plugins run and fetch wrappers nest in this order (first =
 * outermost). Adding a feature is its file (or folder) plus one line here; see feature.ts. Only
 * main.ts imports this list: it gives it to loadGatewayConfig and createGateway alike.
 */
import type { GatewayFeature } from '../feature';
import { authorization } from './authorization';
import { errorMasking } from './errorMasking';
import { contracts } from './contracts';
import { cors } from './cors';
import { dedupeInflight } from './dedupeInflight';
import { graphiql } from './graphiql';
import { identity } from './identity';
import { limits } from './limits';
import { metrics } from './metrics';
import { offline } from './offline';
import { operationResolution } from './operationResolution';
import { rateLimit, subjectRateLimit } from './rateLimit';
import { requestLogging } from './requestLogging';
import { schemaVisibility } from './schemaVisibility';
import { sites } from './sites';
import { subscriptions } from './subscriptions';
import { tracing } from './tracing';
import { trustedDocuments } from './trustedDocuments';
import { usageReport } from './usageReport';
import { variables } from './variables';

export const defaultFeatures: readonly GatewayFeature[] = [
  offline,
  graphiql,
  sites,
  requestLogging,
  // Outermost fetch span: the subgraph sees the traceparent of the whole fetch, retries included.
  tracing,
  // Outermost fetch wrapper but the core's resilience: fetch latency includes the features' work and retries.
  metrics,
  // Per client IP before the token is verified; per subject once it is (rateLimit.ts).
  rateLimit,
  identity,
  subjectRateLimit,
  // Right after the caller is known: a contract's validation error comes before any other feature's.
  contracts,
  trustedDocuments,
  cors,
  variables,
  limits,
  schemaVisibility,
  authorization,
  operationResolution,
  // After validation: counts only operations that will run (off unless GATEWAY_USAGE_REPORT_URL).
  usageReport,
  dedupeInflight,
  errorMasking,
  // WebSocket subscriptions: every operation runs through the features above (core operations.ts).
  subscriptions,
];
