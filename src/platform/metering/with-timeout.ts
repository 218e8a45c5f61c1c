/** Rejects when `promise` has not settled within `ms`; a late rejection of `promise` is swallowed (already handled). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // a late failure after the timeout is already handled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
