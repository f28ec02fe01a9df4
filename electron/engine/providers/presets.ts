// Known OpenAI-compatible vendors: default base URLs and the quirks that matter for translation,
// usage and cost. A provider picks its preset by id (`deepseek`) or by its base URL's host.
import type { ProviderConfig } from '../settings/config-schema';

export interface Preset {
  id: string;
  baseUrl: string;
  /** Where streamed reasoning arrives (the reader accepts both; this documents the vendor). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Vendor refuses `stream_options` (it sends usage in the last chunk anyway). */
  noStreamOptions?: boolean;
  /** Vendor refuses `reasoning_content` on assistant turns sent back to it. */
  rejectsReasoningEcho?: boolean;
  /** Headers the vendor asks callers to send (attribution). */
  headers?: Record<string, string>;
  /** Extra body fields the vendor needs (e.g. OpenRouter's usage accounting with cost). */
  body?: Record<string, unknown>;
  /** Keyless local servers. */
  keyless?: boolean;
}

export const PRESETS: readonly Preset[] = [
  { id: 'deepseek', baseUrl: 'https://api.deepseek.com/v1', reasoningField: 'reasoning_content', rejectsReasoningEcho: true },
  { id: 'xai', baseUrl: 'https://api.x.ai/v1', reasoningField: 'reasoning_content' },
  { id: 'groq', baseUrl: 'https://api.groq.com/openai/v1', reasoningField: 'reasoning' },
  { id: 'mistral', baseUrl: 'https://api.mistral.ai/v1', noStreamOptions: true },
  {
    id: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    reasoningField: 'reasoning',
    headers: { 'HTTP-Referer': 'https://github.com/switchboard-app/switchboard', 'X-Title': 'Switchboard' },
    body: { usage: { include: true } },
  },
  { id: 'together', baseUrl: 'https://api.together.xyz/v1', reasoningField: 'reasoning' },
  { id: 'fireworks', baseUrl: 'https://api.fireworks.ai/inference/v1', reasoningField: 'reasoning_content' },
  { id: 'cerebras', baseUrl: 'https://api.cerebras.ai/v1', reasoningField: 'reasoning' },
  { id: 'perplexity', baseUrl: 'https://api.perplexity.ai', noStreamOptions: true },
  { id: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1', keyless: true },
  { id: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', reasoningField: 'reasoning', keyless: true },
  { id: 'llamacpp', baseUrl: 'http://127.0.0.1:8080/v1', reasoningField: 'reasoning_content', keyless: true },
];

const byId = new Map(PRESETS.map((p) => [p.id, p]));
const byHost = new Map(PRESETS.filter((p) => !p.keyless).map((p) => [new URL(p.baseUrl).host, p]));
/** What endpoint knowledge needs of a provider's config. */
export type ProviderRef = Pick<ProviderConfig, 'id' | 'kind' | 'baseUrl'>;

const cache = new WeakMap<ProviderRef, Preset | null>();

/** The preset a provider matches (cached per config object: settings rebuild configs on change). */
export function presetFor(provider: ProviderRef): Preset | undefined {
  let hit = cache.get(provider);
  if (hit === undefined) {
    let host: string;
    try {
      host = provider.baseUrl ? new URL(provider.baseUrl).host : '';
    } catch {
      host = '';
    }
    hit = (provider.kind === 'openai-compatible' ? (byHost.get(host) ?? byId.get(provider.id)) : undefined) ?? null;
    cache.set(provider, hit);
  }
  return hit ?? undefined;
}
