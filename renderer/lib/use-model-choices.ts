// What a screen's empty state needs to know to point the way: the model names there are now (routes
// and provider/model ids), kept current as providers and routes change. Null until first loaded.
import type { AppContract } from '../../shared/contract';
import type { ModelChoice } from '../../shared/types';
import { useChanges } from './changes';
import { useLoad } from './use-load';

export function useModelChoices(client: AppContract, active: boolean): ModelChoice[] | null {
  const changed = useChanges(client, ['providers', 'routes']);
  const { state } = useLoad(() => client.models.list(), active, changed);
  return state.status === 'ready' ? state.data : null;
}
