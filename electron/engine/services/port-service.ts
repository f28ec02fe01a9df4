// The port service: where the port listens and whether it is exposed beyond this machine, its
// settings, its recent requests, setup help for tools, and switching it off and on.
import type { PortService } from '../../../shared/contract';
import type { PortSettings } from '../../../shared/types';
import type { RequestLog } from '../gateway/request-log';
import { isLoopbackHost } from '../gateway/security';
import { SETUP_GUIDES } from '../gateway/setup-guides';
import type { ServiceParts } from './service-parts';

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

export interface PortServiceDeps extends Pick<ServiceParts, 'settings'> {
  /** The port while it listens. */
  port(): PortHandle | undefined;
  portSwitch: PortSwitch;
}

export function createPortService({ settings, port, portSwitch }: PortServiceDeps): PortService {
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
