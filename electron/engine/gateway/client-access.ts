// What a client token may do, built once per settings change: its name (for the ledger), the routes or
// models it may address, and its monthly budget (budgets/ enforces it).
import type { ClientTokenRecord } from '../settings/types';

export interface ClientAccess {
  name: string;
  /** Null when the token may address every route and model. */
  allow: ReadonlySet<string> | null;
  /** `provider/*` entries, as provider ids. */
  allowProviders: ReadonlySet<string> | null;
  budgetUsd?: number;
}

export function clientAccessFor(record: ClientTokenRecord): ClientAccess {
  if (!record.allow || record.allow.length === 0)
    return { name: record.name, allow: null, allowProviders: null, budgetUsd: record.budgetUsd };
  const exact = new Set<string>();
  const providers = new Set<string>();
  for (const entry of record.allow) {
    if (entry.endsWith('/*')) providers.add(entry.slice(0, -2));
    else exact.add(entry);
  }
  return { name: record.name, allow: exact, allowProviders: providers, budgetUsd: record.budgetUsd };
}

/** Whether the client may ask for `model` (a route name or `provider/model`). */
export function mayUse(access: ClientAccess, model: string): boolean {
  if (access.allow === null) return true;
  if (access.allow.has(model)) return true;
  const slash = model.indexOf('/');
  return slash > 0 && access.allowProviders!.has(model.slice(0, slash));
}

/** The model names a request body asks for: `model`, plus an OpenRouter-style `models` list. */
export function requestedModels(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as { model?: unknown; models?: unknown };
  const out: string[] = [];
  if (typeof b.model === 'string') out.push(b.model);
  if (Array.isArray(b.models)) for (const m of b.models) if (typeof m === 'string') out.push(m);
  return out;
}
