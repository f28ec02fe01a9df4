// Promoting a compare winner speaks the route's strategy: first target of a fallback route, the
// largest weight of a weighted one, nothing for routes that pick by cost or latency.
import { describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../../../shared/types';
import { promotion } from './PromoteWinner';

const route = (strategy: RouteInfo['strategy'], targets: RouteInfo['targets']): RouteInfo => ({ name: 'r', strategy, targets });
const m2 = { provider: 'p', model: 'm2' };

describe('promotion', () => {
  it('moves the winner first in a fallback route, and says when it is first already', () => {
    const plan = promotion(route('fallback', [{ provider: 'p', model: 'm1' }, m2]), m2);
    expect(plan?.input.targets).toEqual([m2, { provider: 'p', model: 'm1' }]);
    expect(plan?.action).toBe('Make it the first target');
    expect(promotion(route('fallback', [m2]), m2)).toBeNull();
  });

  it('gives the winner twice the largest other weight in a weighted route, adding it when absent', () => {
    const raised = promotion(
      route('weighted', [
        { provider: 'p', model: 'm1', weight: 3 },
        { ...m2, weight: 1 },
      ]),
      m2,
    );
    expect(raised?.input.targets).toEqual([
      { provider: 'p', model: 'm1', weight: 3 },
      { ...m2, weight: 6 },
    ]);
    expect(raised?.action).toBe('Raise its weight');
    expect(raised?.done).toBe('p/m2 now has weight 6 in r (about 67% of requests).');
    const added = promotion(route('weighted', [{ provider: 'p', model: 'm1' }]), m2);
    expect(added?.input.targets).toEqual([
      { provider: 'p', model: 'm1' },
      { ...m2, weight: 2 },
    ]);
    expect(added?.action).toBe('Add it with the largest weight');
    expect(
      promotion(
        route('weighted', [
          { provider: 'p', model: 'm1', weight: 1 },
          { ...m2, weight: 5 },
        ]),
        m2,
      ),
    ).toBeNull();
  });

  it('offers nothing where order and weight mean nothing', () => {
    expect(promotion(route('lowest-cost', [{ provider: 'p', model: 'm1' }, m2]), m2)).toBeNull();
    expect(promotion(route('lowest-latency', [{ provider: 'p', model: 'm1' }]), m2)).toBeNull();
  });
});
