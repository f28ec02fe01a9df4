// The one way the app edits providers and routes: a change is validated against the whole config (so
// a bad edit names its field and changes nothing) and written in one atomic settings write.
import { parseConfig, type ProviderConfig, type RouteConfig } from '../settings/config-schema';
import type { SettingsStore } from '../settings/types';

export interface EditableConfig {
  providers: ProviderConfig[];
  routes: RouteConfig[];
}

/** Applies `change` to the stored providers and routes, validates the result, and writes it at once. */
export function editConfig(settings: SettingsStore, change: (c: EditableConfig) => EditableConfig): void {
  const data = settings.read();
  const next = change({ providers: structuredClone(data.providers), routes: structuredClone(data.routes) });
  const checked = parseConfig(
    {
      providers: next.providers,
      routes: next.routes,
      ...(data.aliases ? { aliases: data.aliases } : {}),
      ...(data.health ? { health: data.health } : {}),
    },
    'the change',
  );
  settings.seed({
    providers: checked.providers,
    routes: checked.routes,
    ...(checked.aliases ? { aliases: checked.aliases } : {}),
    ...(checked.health ? { health: checked.health } : {}),
  });
}
