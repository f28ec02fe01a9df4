// The settings service: providers and routes as config JSON (never a key in it), app preferences,
// where the data lives, the chat's defaults, and live change events for the UI (change-feed.ts).
import path from 'node:path';
import type { SettingsService } from '../../../shared/contract';
import { CHAT_DEFAULTS } from '../settings/chat-defaults';
import { exportConfig, importConfig } from '../settings/portable';
import { APP_DEFAULTS } from '../settings/settings-store';
import type { ServiceParts } from './service-parts';

export function createSettingsService({
  settings,
  dataDir,
  changes,
}: Pick<ServiceParts, 'settings' | 'dataDir' | 'changes'>): SettingsService {
  return {
    exportConfig: async () => exportConfig(settings),
    async importConfig(text: string) {
      importConfig(settings, text);
    },
    preferences: async () => settings.read().app ?? { ...APP_DEFAULTS },
    async setPreferences(patch) {
      if (!patch || typeof patch !== 'object') throw new Error('expected { proxy?, providerProxies?, startOnLogin?, closeToTray? }');
      const { proxy, providerProxies, startOnLogin, closeToTray } = patch;
      const clean = Object.fromEntries(
        Object.entries({ proxy, providerProxies, startOnLogin, closeToTray }).filter(([, v]) => v !== undefined),
      );
      return settings.setApp(clean);
    },
    dataLocation: async () => ({ dataDir, settingsFile: settings.path, ledgerFile: path.join(dataDir, 'ledger.db') }),
    chatDefaults: async () => settings.read().chat ?? { ...CHAT_DEFAULTS },
    setChatDefaults: async (patch) => settings.setChat(patch),
    changes: (request, signal) => changes.subscribe(request, signal),
  };
}
