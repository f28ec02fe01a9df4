// The chat's app-wide defaults as settings.json keeps them (`chat`): the model and system prompt a new
// chat starts with, its temperature, and the chat's text size. Checked here; stored by settings-store.
import { z } from 'zod';
import type { ChatDefaults } from '../../../shared/types';
import { parseOrThrow } from './zod-issues';

export const CHAT_DEFAULTS: ChatDefaults = { model: null, systemPrompt: '', temperature: null, fontSize: 15 };

export const chatDefaultsSchema = z.object({
  model: z.string().trim().min(1).max(300).nullable().default(null),
  systemPrompt: z.string().max(100_000).default(''),
  temperature: z.number().min(0).max(2).nullable().default(null),
  // Below 12 px chat text is hard to read; above 24 px a reply barely fits a window at 900x600.
  fontSize: z.number().int().min(12).max(24).default(15),
});

/** Merges a patch over the stored defaults (only the four known fields); throws naming what is wrong. */
export function mergeChatDefaults(stored: ChatDefaults | undefined, patch: Partial<ChatDefaults>): ChatDefaults {
  if (!patch || typeof patch !== 'object') throw new Error('expected { model?, systemPrompt?, temperature?, fontSize? }');
  const { model, systemPrompt, temperature, fontSize } = patch;
  const known = Object.fromEntries(Object.entries({ model, systemPrompt, temperature, fontSize }).filter(([, v]) => v !== undefined));
  return parseOrThrow(chatDefaultsSchema, { ...CHAT_DEFAULTS, ...stored, ...known }, 'chat defaults');
}
