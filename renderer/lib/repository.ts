// Where a feature's store keeps items between screens (compare runs): the store only sees this
// interface, backed by the engine's storage through the contract (compare-repositories.ts) or, in
// tests and when a store is given none, by memory (createMemoryRepository).

export interface Stored {
  id: string;
  updatedAt: number;
}

export interface Repository<T extends Stored, Summary = T> {
  /** Newest first. */
  list(): Promise<Summary[]>;
  get(id: string): Promise<T | null>;
  put(item: T): Promise<void>;
  remove(id: string): Promise<void>;
}

/** An in-memory repository; `summarise` keeps list() cheap for big items (a 2,000-message chat). */
export function createMemoryRepository<T extends Stored, Summary = T>(summarise: (item: T) => Summary): Repository<T, Summary> {
  const items = new Map<string, T>();
  return {
    async list() {
      return [...items.values()].sort((a, b) => b.updatedAt - a.updatedAt).map(summarise);
    },
    async get(id) {
      return items.get(id) ?? null;
    },
    async put(item) {
      items.set(item.id, item);
    },
    async remove(id) {
      items.delete(id);
    },
  };
}
