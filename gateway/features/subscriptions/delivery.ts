/**
 * One client subscription: the events it is fed, one at a time and in stream order, each run through
 * the gateway as the receiver (operations.ts: the engine plans the subscription, the owning subgraph
 * runs its selection for the event with the receiver's row rules, `rest` fetches the other
 * subgraphs' fields), and the results queued for graphql-ws, which pulls them as an async iterator.
 * A result whose root field is null (the receiver may not see the entity: NOT_FOUND, FORBIDDEN) is
 * not delivered. The queue is bounded: past it, the consumer is too slow and `overflow` is called.
 */
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext, GatewayLogger } from '../../context';
import type { OperationBody, OperationRunner } from '../../operations';
import { compareStreamIds, concerns, mayReceiveOn } from './filter';
import type { RootField } from './filter';
import type { EventStream, StreamEvent } from './stream';

export interface DeliveryOptions {
  readonly operations: OperationRunner;
  readonly stream: EventStream;
  readonly body: OperationBody;
  readonly context: GatewayContext;
  readonly root: RootField;
  /** Resume after this stream id (the `extensions.eventId` of the last result received). */
  readonly after?: string;
  /** At most this many entries replayed on resume. */
  readonly replayMax: number;
  /** Results waiting for the socket; more calls `overflow`. */
  readonly maxQueued: number;
  readonly overflow: () => void;
  readonly logger: GatewayLogger;
}

type Result = IteratorResult<FormattedExecutionResult, undefined>;

export class Delivery implements AsyncIterableIterator<FormattedExecutionResult> {
  private readonly queue: FormattedExecutionResult[] = [];
  private waiting: ((result: Result) => void) | undefined;
  private done = false;
  private chain: Promise<void> = Promise.resolve();
  private lastSeen: string | undefined;
  private readonly unlisten: () => void;

  constructor(private readonly o: DeliveryOptions) {
    this.lastSeen = o.after;
    // Listen first, then replay: an entry added meanwhile is seen twice at most, and kept once.
    this.unlisten = o.stream.listen((event) => this.offer(event));
    if (o.after !== undefined) {
      const after = o.after;
      this.chain = o.stream
        .since(after, o.replayMax)
        .then((events) => {
          for (const event of events) this.offer(event);
        })
        .catch((err: Error) => o.logger.warn({ err: err.message }, 'subscriptions: replay failed'));
    }
  }

  private offer(event: StreamEvent): void {
    const { context, root } = this.o;
    if (this.done || !concerns(root, event.envelope)) return;
    if (!context.identity || !mayReceiveOn(root, context.identity, event.envelope)) return;
    this.chain = this.chain.then(() => this.run(event));
  }

  private async run(event: StreamEvent): Promise<void> {
    if (this.done) return;
    if (this.lastSeen !== undefined && compareStreamIds(event.streamId, this.lastSeen) <= 0) return;
    this.lastSeen = event.streamId;
    let result: FormattedExecutionResult;
    try {
      result = await this.o.operations.execute(this.o.body, this.o.context, event.envelope);
    } catch (err) {
      this.o.logger.error({ err, eventId: event.envelope.id }, 'subscriptions: a delivery failed');
      return;
    }
    const value = (result.data as Record<string, unknown> | null | undefined)?.[this.alias()];
    if (value === null || value === undefined) return; // not for this receiver
    this.push({ ...result, extensions: { ...result.extensions, eventId: event.streamId } });
  }

  /** The response key of the root field (its alias, if any, is what `data` holds). */
  private alias(): string {
    return this.o.root.responseKey;
  }

  private push(result: FormattedExecutionResult): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      return resolve({ value: result, done: false });
    }
    if (this.queue.length >= this.o.maxQueued) return this.o.overflow();
    this.queue.push(result);
  }

  next(): Promise<Result> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<Result> {
    this.stop();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<Result> {
    this.stop();
    return Promise.reject(error);
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    this.unlisten();
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
