/**
 * The items of `after` beyond those `before` had with the same key, counted: a problem found twice
 * before a rewrite and three times after it is one the rewrite added. Keys leave positions out, which
 * a rewrite shifts.
 */
export function addedBeyond<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): T[] {
  const remaining = new Map<string, number>();
  for (const item of before) remaining.set(key(item), (remaining.get(key(item)) ?? 0) + 1);
  return after.filter((item) => {
    const n = remaining.get(key(item)) ?? 0;
    remaining.set(key(item), n - 1);
    return n <= 0;
  });
}
