// "Test key" and doctor's reachability check: one cheap authenticated call to the provider's model
// list. The answer carries the masked key and the provider's own error text, never the key.
import type { KeyTestResult } from '../../../shared/types';
import { errorMessageFromBody, OPENAI_DEFAULT_BASE_URL } from '../providers/openai-compatible';
import { sendUpstream, type UpstreamCall } from '../providers/transport';
import type { ProviderConfig } from '../settings/config-schema';
import { mask } from './mask';
import type { ResolvedKey } from './types';

const DEFAULT_BASE: Record<string, string> = {
  openai: OPENAI_DEFAULT_BASE_URL,
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
  ollama: 'http://127.0.0.1:11434',
};

/** The model-list request for a provider kind, authenticated the way that vendor documents. */
export function modelListCall(provider: Pick<ProviderConfig, 'kind' | 'baseUrl'>, key: string | undefined): UpstreamCall {
  const base = (provider.baseUrl ?? DEFAULT_BASE[provider.kind] ?? '').replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  switch (provider.kind) {
    case 'anthropic':
      if (key) headers['x-api-key'] = key;
      headers['anthropic-version'] = '2023-06-01';
      return { url: `${base}/models`, method: 'GET', headers };
    case 'gemini':
      if (key) headers['x-goog-api-key'] = key;
      return { url: `${base}/models`, method: 'GET', headers };
    case 'ollama':
      return { url: `${base.replace(/\/v1$/, '')}/api/tags`, method: 'GET', headers };
    case 'azure-openai':
      if (key) headers['api-key'] = key;
      return { url: `${base}/models?api-version=2024-10-21`, method: 'GET', headers };
    default:
      if (key) headers.authorization = `Bearer ${key}`;
      return { url: `${base}/models`, method: 'GET', headers };
  }
}

export async function testKey(provider: ProviderConfig, key: ResolvedKey | undefined, label: string, timeoutMs = 10_000): Promise<KeyTestResult> {
  const base: KeyTestResult = { ok: false, provider: provider.id, label, message: '' };
  if (key) base.masked = mask(key.secret);
  else if (provider.kind !== 'ollama') return { ...base, message: `no key "${label}" for provider "${provider.id}"` };
  const call = modelListCall(provider, key?.secret);
  try {
    const res = await sendUpstream(call, AbortSignal.timeout(timeoutMs));
    const text = await res.body.text();
    if (res.status >= 200 && res.status < 300) return { ...base, ok: true, status: res.status, message: `${provider.id} accepted the key (${res.status} from ${new URL(call.url).origin})` };
    // The provider's message could in theory echo the key back; scrub it before it goes anywhere.
    const detail = (errorMessageFromBody(text) ?? '').split(key?.secret ?? '\u0000').join('[key]');
    const why = res.status === 401 || res.status === 403 ? 'the key was refused' : 'the provider answered with an error';
    return { ...base, status: res.status, message: `${why}: ${res.status}${detail ? ` ${detail}` : ''}` };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ...base, message: `cannot reach ${new URL(call.url).origin}: ${e.message}${e.code ? ` (${e.code})` : ''}` };
  }
}
