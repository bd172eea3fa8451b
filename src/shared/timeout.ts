/**
 * Bounds a promise in time: an answer that never comes (a resolver, an SMTP peer, a token
 * endpoint) must not hang the run. After `ms` the promise rejects with the error `onTimeout`
 * returns; `onTimeout` is also where the caller releases what the wait held (a socket).
 */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
