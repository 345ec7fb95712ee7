/**
 * Waiting for something with a bound: shutdown steps (exporting the last spans) that must not hold a
 * process's exit longer than their setting says, whatever the other side does.
 */

/** Whether `work` settled within `ms`; a rejection counts as settled (there is nothing more to wait for). */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
