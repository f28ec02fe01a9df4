// The tokens service: client tokens for tools that call the port, shown once when created, listed
// with what each has spent (from the ledger), and revoked at once.
import type { TokensService } from '../../../shared/contract';
import type { ClientTokenInfo, CreateTokenRequest, SpendGroup } from '../../../shared/types';
import { createClientToken } from '../settings/tokens';
import type { ClientTokenRecord } from '../settings/types';
import type { ServiceParts } from './service-parts';

function checkCreate(request: CreateTokenRequest): void {
  if (!request || typeof request.name !== 'string') throw new Error('a token needs a name');
  if (request.allow !== undefined && (!Array.isArray(request.allow) || request.allow.some((a) => typeof a !== 'string' || !a))) {
    throw new Error('`allow` must be a list of route names or provider/model ids (provider/* for all of a provider)');
  }
  if (request.budgetUsd !== undefined && (typeof request.budgetUsd !== 'number' || !(request.budgetUsd >= 0)))
    throw new Error('`budgetUsd` must be a number >= 0');
  if (request.budgetAllowUnpriced !== undefined && typeof request.budgetAllowUnpriced !== 'boolean')
    throw new Error('`budgetAllowUnpriced` must be true or false');
}

/** What a listing shows of a token (never its hash). */
type TokenListing = Omit<ClientTokenRecord, 'hash'>;

type ClientSpend = Pick<SpendGroup, 'costUsd' | 'knownCostUsd' | 'unknownCostRequests' | 'requests'>;

/**
 * Team mode's token store (the team database, seen by every instance): the service creates, lists and
 * revokes there instead of in local settings.
 */
export interface SharedTokenStore {
  create(request: CreateTokenRequest): Promise<{ token: string; record: TokenListing }>;
  /** Live tokens only. */
  list(): Promise<TokenListing[]>;
  /** False when no live token had that name. */
  revoke(name: string): Promise<boolean>;
}

export function createTokensService(
  { settings, ledger }: Pick<ServiceParts, 'settings' | 'ledger'>,
  shared?: SharedTokenStore,
): TokensService {
  const info = (r: TokenListing, spend: Map<string, ClientSpend>): ClientTokenInfo => ({
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt,
    ...(r.allow ? { allow: [...r.allow] } : {}),
    ...(r.budgetUsd !== undefined ? { budgetUsd: r.budgetUsd } : {}),
    ...(r.budgetAllowUnpriced ? { budgetAllowUnpriced: true } : {}),
    // Some of it unknown: the spend is unknown, with the known part beside it (never counted as $0).
    spendUsd: spend.has(r.name) ? spend.get(r.name)!.costUsd : 0,
    knownSpendUsd: spend.get(r.name)?.knownCostUsd ?? 0,
    unknownCostRequests: spend.get(r.name)?.unknownCostRequests ?? 0,
    requests: spend.get(r.name)?.requests ?? 0,
  });
  const spendByClient = async () => new Map<string, ClientSpend>((await ledger.spend({ by: 'client' })).groups.map((g) => [g.key, g]));
  return {
    async create(request) {
      checkCreate(request);
      if (shared) {
        const created = await shared.create(request);
        return { token: created.token, info: info(created.record, new Map()) };
      }
      const { token, record } = createClientToken(request.name, {
        allow: request.allow,
        budgetUsd: request.budgetUsd,
        budgetAllowUnpriced: request.budgetAllowUnpriced,
      });
      settings.addToken(record);
      return { token, info: info(record, new Map()) };
    },
    async list() {
      const spend = await spendByClient();
      const records = shared ? await shared.list() : settings.read().tokens;
      return records.map((r) => info(r, spend));
    },
    async revoke(name) {
      if (shared) return shared.revoke(String(name));
      return settings.removeToken(String(name));
    },
  };
}
