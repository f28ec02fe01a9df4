// The budgets service: the budgets in settings, where each stands in its period, and soft-budget warnings.
import type { BudgetsService } from '../../../shared/contract';
import type { BudgetSpec } from '../../../shared/types';
import type { ServiceParts } from './service-parts';

export function createBudgetsService({ settings, budgets }: Pick<ServiceParts, 'settings' | 'budgets'>): BudgetsService {
  return {
    list: async () => settings.read().budgets,
    async set(list: BudgetSpec[]) {
      settings.setBudgets(list);
    },
    status: async () => budgets.status(),
    warnings: async () => budgets.warnings(),
  };
}
