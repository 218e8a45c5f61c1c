/**
 * Bounding a Map by insertion order: a Map iterates oldest first, so trimming from the front drops the least
 * recently inserted entries (or least recently used, when callers re-insert on every hit). One helper so the
 * caches and guards that bound themselves do it the same way, without claiming a first entry exists.
 */

/**
 * Deletes the oldest entries until `map` holds at most `capacity`, and returns them (oldest first) for
 * callers that release something per entry.
 * @example dropOldest(new Map([['a', 1], ['b', 2], ['c', 3]]), 2) // [['a', 1]], the map keeps b and c
 */
export function dropOldest<K, V>(map: Map<K, V>, capacity: number): Array<[K, V]> {
  const dropped: Array<[K, V]> = [];
  // Deleting the entry being visited is safe: Map iteration continues with the next live entry.
  for (const entry of map) {
    if (map.size <= capacity) break;
    map.delete(entry[0]);
    dropped.push(entry);
  }
  return dropped;
}
