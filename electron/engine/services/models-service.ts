// The models service: what the app's model pickers offer, routes first, then every provider/model.
import type { ModelsService } from '../../../shared/contract';
import type { ModelChoice } from '../../../shared/types';
import type { ServiceParts } from './service-parts';

export function createModelsService({ table }: Pick<ServiceParts, 'table'>): ModelsService {
  return {
    async list(): Promise<ModelChoice[]> {
      const t = table();
      const routes: ModelChoice[] = t.routeList().map((r) => ({ id: r.name, kind: 'route', label: `${r.name} (route)` }));
      const models: ModelChoice[] = t
        .providerList()
        .flatMap((p) => p.models.map((m) => ({ id: `${p.id}/${m.id}`, kind: 'model' as const, label: `${p.id}/${m.id}` })));
      return [...routes, ...models];
    },
  };
}
