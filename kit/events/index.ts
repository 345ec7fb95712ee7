/**
 * Domain events (docs/events.md): what subgraphs use to emit them — the outbox's database module,
 * mounted in `databaseModules`, and `emitEvent`, called inside a mutation's transaction. The relay
 * and the publisher are the kit's own business (kit/runtime/run.ts starts them).
 */
export { emitEvent, eventOutboxModule } from './outbox';
export type { NewEvent } from './outbox';
export type { EventEnvelope } from '../../common/events';
