/**
 * The configuration the tests start a gateway with: the default feature list (features/index.ts), as
 * main.ts gives it to both `loadGatewayConfig` and `createGateway`. A test with features of its own
 * calls `loadGatewayConfig(env, argv, features)` and passes the same list to `createGateway`.
 */
import { loadGatewayConfig } from '../../config';
import type { GatewayConfig } from '../../config';
import { defaultFeatures } from '../../features';

export { defaultFeatures };

/** `loadGatewayConfig` over the default features. */
export function defaultConfig(
  source: Readonly<Record<string, string | undefined>>,
  argv: readonly string[] = [],
): GatewayConfig {
  return loadGatewayConfig(source, argv, defaultFeatures);
}
