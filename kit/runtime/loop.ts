/**
 * Background work a subgraph process runs beside its requests (the dossiers' portal sync sender, the
 * domain-event relay of kit/events): rounds run one after another until stopped, with a pause when a
 * round found nothing to do, and a round that throws is reported and followed by the pause. `stop()`
 * waits for the round in flight, so its transaction is committed or rolled back, never half.
 */

export interface PollingLoop {
  /** Starts the rounds (once; later calls do nothing). */
  start(): void;
  /** Ends the loop after the round in flight; resolves when it has ended. */
  stop(): Promise<void>;
  /**
   * Something is due now: a pause in progress ends at once, and a round in flight is followed by
   * another one without a pause (what woke it may have come too late for that round).
   */
  wake(): void;
}

/**
 * `round` resolves to true when it did work (run the next one at once), false when there was
 * nothing to do (pause `idleMs` first).
 */
export function pollingLoop(
  round: () => Promise<boolean>,
  idleMs: number,
  onError: (err: Error) => void,
): PollingLoop {
  let stopped = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let again = false;
  return {
    start() {
      loop ??= (async () => {
        while (!stopped) {
          let busy = false;
          again = false;
          try {
            busy = await round();
          } catch (err) {
            onError(err as Error);
          }
          if (!busy && !again && !stopped)
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, idleMs);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
          wake = null;
        }
      })();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
    wake() {
      again = true;
      wake?.();
    },
  };
}

/** Full jitter: a uniform delay below min(maxMs, baseMs·2^attempt). */
export const fullJitter = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.floor(Math.random() * Math.min(maxMs, baseMs * 2 ** attempt));
