// Model listing and key validation per provider kind: the cheapest authenticated call each API
// offers (a model list costs no tokens), parsed into plain model ids.
import type { ProviderConfig } from '../settings/config-schema';
import { anthropicBase, anthropicHeaders } from './anthropic/anthropic';
import { openAIModelsEndpoint } from './endpoints';
import { GEMINI_DEFAULT_BASE_URL } from './gemini/gemini';
import { ollamaBase } from './ollama/ollama';
import type { ProviderRef } from './presets';
import { upstreamFailure } from './open-canonical';
import { redactError } from './redact';
import type { Transport, UpstreamCall } from './transport';

type Json = Record<string, any>;

export function modelsCall(provider: ProviderRef, apiKey: string): UpstreamCall {
  switch (provider.kind) {
    case 'anthropic':
      return { url: `${anthropicBase(provider)}/v1/models?limit=1000`, method: 'GET', headers: anthropicHeaders(apiKey) };
    case 'gemini':
      return {
        url: `${(provider.baseUrl ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '')}/models?pageSize=1000`,
        method: 'GET',
        headers: { 'x-goog-api-key': apiKey },
      };
    case 'ollama':
      return { url: `${ollamaBase(provider)}/api/tags`, method: 'GET', headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} };
    default: {
      const e = openAIModelsEndpoint(provider, apiKey);
      return { url: e.url, method: 'GET', headers: e.headers };
    }
  }
}

export function parseModelIds(kind: string, json: Json): string[] {
  if (kind === 'gemini') return ((json.models ?? []) as Json[]).map((m) => String(m.name ?? '').replace(/^models\//, '')).filter(Boolean);
  if (kind === 'ollama') return ((json.models ?? []) as Json[]).map((m) => String(m.name ?? m.model ?? '')).filter(Boolean);
  return ((json.data ?? []) as Json[]).map((m) => String(m.id ?? '')).filter(Boolean);
}

/** The provider's model ids, as its API lists them; throws the classified AttemptError on failure. */
export async function listUpstreamModels(
  transport: Transport,
  provider: ProviderConfig,
  apiKey: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const res = await transport.send(modelsCall(provider, apiKey), signal, { providerId: provider.id });
  const text = await res.body.text();
  if (res.status !== 200) throw upstreamFailure(res.status, text, undefined, apiKey);
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    throw redactError(error, [apiKey]); // V8 quotes the start of the text it refused
  }
  return parseModelIds(provider.kind, json);
}

export type KeyCheck = { ok: true; models: number } | { ok: false; reason: 'invalid-key' | 'unreachable' | 'error'; message: string };

/** Proves a key works with the cheapest call its API has; never includes the key in the answer. */
export async function validateKey(transport: Transport, provider: ProviderConfig, apiKey: string, signal?: AbortSignal): Promise<KeyCheck> {
  try {
    const models = await listUpstreamModels(transport, provider, apiKey, signal);
    return { ok: true, models: models.length };
  } catch (error) {
    const e = error as { failureClass?: string; status?: number | null; message: string };
    if (e.failureClass === 'auth') return { ok: false, reason: 'invalid-key', message: e.message };
    if (e.failureClass === undefined) return { ok: false, reason: 'unreachable', message: e.message };
    return { ok: false, reason: 'error', message: e.message };
  }
}
