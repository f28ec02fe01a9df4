// routes.health(): what the router knows about each target and key right now (breaker state,
// cooldowns, retired keys, recent attempts), as plain data for the UI. Nothing secret crosses here:
// keys appear by label only.
import type { HealthSnapshot } from '../../../shared/types';
import type { RouteTable } from '../router/resolve';

export async function routesHealth(table: RouteTable): Promise<HealthSnapshot> {
  const snapshot = table.health.snapshot();
  // Configured targets never tried yet are listed too (closed, no history), so the UI shows every one.
  const seen = new Set(snapshot.targets.map((t) => `${t.provider}/${t.model}`));
  for (const route of table.routeList()) {
    for (const step of route.targets) {
      for (const t of 'group' in step ? step.group.targets : [step]) {
        const id = `${t.provider}/${t.model}`;
        if (seen.has(id)) continue;
        seen.add(id);
        snapshot.targets.push({
          provider: t.provider,
          model: t.model,
          breaker: 'closed',
          openUntil: null,
          cooldownUntil: null,
          failuresInWindow: 0,
          successes: 0,
          failures: 0,
          ttftMs: null,
          tokensPerSec: null,
          recent: [],
        });
      }
    }
  }
  return snapshot;
}
