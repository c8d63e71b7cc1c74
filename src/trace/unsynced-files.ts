/**
 * The files holding data written since their last fsync, by absolute path, with a count per
 * directory of the unsynced files directly in it: renaming a directory (a package unpacked into a
 * temp directory, then renamed into place) publishes every file below it, synced or not. Only the
 * parent is counted (one `dirname` per change, on the hot path of every write and fsync); a
 * directory rename looks through the directories that hold unsynced files, usually none.
 */
import path from 'node:path';

/**
 * Each entry holds a captured stack (a few KiB): a build writing 100,000 files it never renames
 * must not keep them all. Past this many, the oldest are forgotten — a rename of one of them much
 * later is missed, never reported wrongly.
 */
export const MAX_TRACKED = 10_000;

export class UnsyncedFiles<V> {
  /** Insertion-ordered, so the first key is the oldest. */
  readonly #files = new Map<string, V>();
  /** Directory → how many unsynced files it holds directly. */
  readonly #holding = new Map<string, number>();

  get(file: string): V | undefined {
    return this.#files.get(file);
  }

  has(file: string): boolean {
    return this.#files.has(file);
  }

  set(file: string, value: V): void {
    if (!this.#files.has(file)) this.#count(file, 1);
    this.#files.set(file, value);
    if (this.#files.size > MAX_TRACKED) this.delete(this.#files.keys().next().value as string);
  }

  delete(file: string): void {
    if (this.#files.delete(file)) this.#count(file, -1);
  }

  /** One unsynced file under `dir` (none when `dir` is a file or holds only synced ones). */
  firstUnder(dir: string): [string, V] | undefined {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    let holds = false;
    for (const holder of this.#holding.keys()) {
      if (holder === dir || holder.startsWith(prefix)) {
        holds = true;
        break;
      }
    }
    if (!holds) return undefined;
    for (const entry of this.#files) if (entry[0].startsWith(prefix)) return entry;
    return undefined;
  }

  /** After `rename(from, to)` of a directory, its unsynced files live under `to`. */
  moveDirectory(from: string, to: string): void {
    const prefix = from + path.sep;
    const moved = [...this.#files].filter(([file]) => file.startsWith(prefix));
    for (const [file] of moved) this.delete(file);
    for (const [file, value] of moved) this.set(to + file.slice(from.length), value);
  }

  #count(file: string, delta: number): void {
    const dir = path.dirname(file);
    const count = (this.#holding.get(dir) ?? 0) + delta;
    if (count > 0) this.#holding.set(dir, count);
    else this.#holding.delete(dir);
  }
}
