/**
 * Runs tasks for the same key one after another in call order, and tasks for different keys
 * concurrently. A task holding several keys starts when all of them are free; keys are taken at
 * call time, all at once, so two multi-key tasks can never wait on each other.
 */
export class KeyedFifoQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const predecessors: Promise<void>[] = [];
    for (const key of new Set(keys)) {
      const tail = this.#tails.get(key);
      if (tail) predecessors.push(tail);
      this.#tails.set(key, done);
    }
    try {
      if (predecessors.length > 0) await Promise.all(predecessors);
      return await task();
    } finally {
      release();
      for (const key of keys) {
        if (this.#tails.get(key) === done) this.#tails.delete(key);
      }
    }
  }

  /** Number of keys with a running or waiting task (for tests: the map must not leak). */
  get size(): number {
    return this.#tails.size;
  }
}

/** The queue shared by every async durable write in this thread. */
export const writeQueue = new KeyedFifoQueue();
