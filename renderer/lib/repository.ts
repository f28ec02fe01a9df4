// The persistence seam for things the renderer keeps between screens (conversations, compare runs).
// Wave A keeps them in memory; wave B backs the same interface with the engine's storage through
// the contract, so stores and components do not change when persistence arrives.

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
