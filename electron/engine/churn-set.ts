// A set of objects that join and leave at the rate of requests (budget holds, bodies being read). A
// long-lived Set rebuilds its hash table as members come and go (it shrinks as it empties, grows as it
// fills), and a Set in the old generation rebuilds it there, which brings the next mark-compact closer.
// Here members sit in an array that never shrinks, each knowing its place: once the array has grown,
// joining and leaving allocate nothing.

/** A member knows its place in the one ChurnSet it may belong to at a time: -1 while in none. */
export interface ChurnMember {
  churnSlot: number;
}

export class ChurnSet<T extends ChurnMember> {
  readonly #items: Array<T | undefined> = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(item: T): boolean {
    const slot = item.churnSlot;
    return slot >= 0 && slot < this.#size && this.#items[slot] === item;
  }

  add(item: T): void {
    if (this.has(item)) return;
    item.churnSlot = this.#size;
    this.#items[this.#size++] = item;
  }

  delete(item: T): boolean {
    if (!this.has(item)) return false;
    // The last member takes the leaving one's place.
    const last = this.#items[--this.#size]!;
    this.#items[item.churnSlot] = last;
    last.churnSlot = item.churnSlot;
    this.#items[this.#size] = undefined;
    item.churnSlot = -1;
    return true;
  }

  /** Calls `visit` with each member once; `visit` may delete the member it is given (and only that one). */
  forEach(visit: (item: T) => void): void {
    // From the end: a member deleted at i is replaced by one already visited.
    for (let i = this.#size - 1; i >= 0; i--) visit(this.#items[i]!);
  }

  /** The members, in an array of their own. */
  values(): T[] {
    return this.#items.slice(0, this.#size) as T[];
  }
}
