// The tokens and port services of the app contract: client tokens (created once-shown, listed with spend,
// revoked), the port's settings, its recent requests and setup help for tools.
import type { PortService, TokensService } from '../../../shared/contract';
import type { ClientTokenInfo, CreateTokenRequest, PortSettings, SpendGroup } from '../../../shared/types';
import { SETUP_GUIDES } from '../gateway/setup-guides';
import { isLoopbackHost } from '../gateway/security';
import type { RequestLog } from '../gateway/request-log';
import type { Ledger } from '../ledger/types';
import { createClientToken } from '../settings/tokens';
import type { ClientTokenRecord, SettingsStore } from '../settings/types';

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

type ClientSpend = Pick<SpendGroup, 'costUsd' | 'knownCostUsd' | 'unknownCostRequests' | 'requests'>;

export function createTokensService(settings: SettingsStore, ledger: Ledger): TokensService {
  const info = (r: ClientTokenRecord, spend: Map<string, ClientSpend>): ClientTokenInfo => ({
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
      return settings.read().tokens.map((r) => info(r, spend));
    },
    async revoke(name) {
      return settings.removeToken(String(name));
    },
  };
}

export interface PortHandle {
  url: string;
  host: string;
  requestLog: RequestLog;
}

/** Switches the port on and off (the composition root owns the server). */
export interface PortSwitch {
  /** Why switching is refused here, or null. */
  blockedBecause(): string | null;
  setEnabled(enabled: boolean): Promise<void>;
}

export function createPortService(settings: SettingsStore, port: () => PortHandle | undefined, portSwitch: PortSwitch): PortService {
  const info = async () => {
    const p = port();
    return {
      url: p?.url ?? null,
      host: p?.host ?? null,
      exposed: p ? !isLoopbackHost(p.host) : false,
      settings: settings.read().port,
      toggleBlockedBecause: portSwitch.blockedBecause(),
    };
  };
  return {
    info,
    async setEnabled(enabled: boolean) {
      if (typeof enabled !== 'boolean') throw new Error('expected true (open the port) or false (close it)');
      const blocked = portSwitch.blockedBecause();
      if (blocked) throw new Error(blocked);
      await portSwitch.setEnabled(enabled);
      return info();
    },
    async updateSettings(patch: Partial<PortSettings>) {
      if (!patch || typeof patch !== 'object') throw new Error('expected { allowedOrigins?, captureBodies? }');
      const clean: Partial<PortSettings> = {};
      if (patch.allowedOrigins !== undefined) clean.allowedOrigins = patch.allowedOrigins;
      if (patch.captureBodies !== undefined) clean.captureBodies = patch.captureBodies;
      return settings.setPort(clean);
    },
    async requests(limit = 100) {
      return port()?.requestLog.list(typeof limit === 'number' ? limit : 100) ?? [];
    },
    async setupGuides() {
      return SETUP_GUIDES.map((g) => ({ ...g, steps: [...g.steps], snippets: g.snippets.map((s) => ({ ...s })) }));
    },
  };
}
