// The chat's app-wide defaults (model, system prompt, temperature, text size), shared by the two
// screens that use them: Settings edits them and Chat starts new conversations from them. One small
// store, so a change made in Settings shows in Chat at once, without either feature importing the other.
import { createStore } from 'zustand/vanilla';
import type { AppContract } from '../../shared/contract';
import type { ChatDefaults } from '../../shared/types';

/** What applies until the engine has answered (the engine's own defaults are the same). */
export const FALLBACK_CHAT_DEFAULTS: ChatDefaults = { model: null, systemPrompt: '', temperature: null, fontSize: 15 };

/** null until first loaded. */
export const chatDefaultsStore = createStore<{ defaults: ChatDefaults | null }>(() => ({ defaults: null }));

export async function loadChatDefaults(client: AppContract): Promise<ChatDefaults> {
  const defaults = await client.settings.chatDefaults();
  chatDefaultsStore.setState({ defaults });
  return defaults;
}

/** Stores a change in the engine (which checks it) and tells every screen. */
export async function saveChatDefaults(client: AppContract, patch: Partial<ChatDefaults>): Promise<ChatDefaults> {
  const defaults = await client.settings.setChatDefaults(patch);
  chatDefaultsStore.setState({ defaults });
  return defaults;
}
