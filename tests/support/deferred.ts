/**
 * A promise and the switch that settles it: a test holds something open (a request, a script,
 * an identity check) and lets it go at the moment it chooses. Node 20 has no
 * Promise.withResolvers yet.
 */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
