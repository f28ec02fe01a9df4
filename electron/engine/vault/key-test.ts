// "Test key" and doctor's reachability check: one cheap authenticated call to the provider's model
// list. The answer carries the masked key and the provider's own error text, never the key.
import type { KeyTestResult } from '../../../shared/types';
import { classifyUpstreamError } from '../canonical/errors';
import { modelsCall } from '../providers/models';
import { errorMessageFromBody } from '../providers/openai/openai-compatible';
import type { ProviderRef } from '../providers/presets';
import type { Transport, UpstreamCall } from '../providers/transport';
import type { ProviderConfig } from '../settings/config-schema';
import { mask } from './mask';
import type { ResolvedKey } from './types';

/** The model-list request for a provider kind, authenticated the way that vendor documents (providers/models.ts knows each kind's URLs). */
export function modelListCall(provider: ProviderRef, key: string | undefined): UpstreamCall {
  const call = modelsCall(provider, key ?? '');
  return { ...call, headers: { accept: 'application/json', ...call.headers } };
}

export async function testKey(
  transport: Transport,
  provider: ProviderConfig,
  key: ResolvedKey | undefined,
  label: string,
  timeoutMs = 10_000,
): Promise<KeyTestResult> {
  const base: KeyTestResult = { ok: false, provider: provider.id, label, message: '' };
  if (key) base.masked = mask(key.secret);
  else if (provider.kind !== 'ollama') return { ...base, message: `no key "${label}" for provider "${provider.id}"` };
  const call = modelListCall(provider, key?.secret);
  try {
    const res = await transport.send(call, AbortSignal.timeout(timeoutMs));
    const text = await res.body.text();
    if (res.status >= 200 && res.status < 300)
      return {
        ...base,
        ok: true,
        status: res.status,
        message: `${provider.id} accepted the key (${res.status} from ${new URL(call.url).origin})`,
      };
    // Providers echo the key they refused: the message comes back with it (and anything key-shaped) redacted.
    const detail = errorMessageFromBody(text, key ? [key.secret] : []) ?? '';
    // Gemini refuses a bad key with 400 API_KEY_INVALID, not 401.
    const why =
      classifyUpstreamError(res.status, detail).errorClass === 'auth' ? 'the key was refused' : 'the provider answered with an error';
    return { ...base, status: res.status, message: `${why}: ${res.status}${detail ? ` ${detail}` : ''}` };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ...base, message: `cannot reach ${new URL(call.url).origin}: ${e.message}${e.code ? ` (${e.code})` : ''}` };
  }
}
