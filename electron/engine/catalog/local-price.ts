// Keyless model servers on this machine (Ollama, and the LM Studio, vLLM and llama.cpp presets, on
// loopback) cost nothing: their price is $0 by their nature, so their requests count $0, not unknown.
import type { Price } from '../../../shared/types';
import { baseUrlOf } from '../providers/endpoints';
import { OLLAMA_DEFAULT_BASE_URL } from '../providers/ollama/ollama';
import { presetFor } from '../providers/presets';
import type { ProviderConfig } from '../settings/config-schema';

export const LOCAL_PRICE: Readonly<Price> = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
  reasoning: 0,
});

function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * True for Ollama or a keyless server preset (lmstudio, vllm, llamacpp) with no keys configured and a
 * loopback base URL. Anything else stays unpriced until given a price: a configured key means someone
 * bills for it, any other local server may be a gateway to a paid API (LiteLLM on localhost:4000), and
 * a host elsewhere on the network may be a paid proxy.
 */
export function isLocalFree(provider: Pick<ProviderConfig, 'id' | 'kind' | 'baseUrl'> & { keys?: readonly unknown[] }): boolean {
  if (provider.keys && provider.keys.length > 0) return false;
  if (provider.kind === 'ollama') return isLoopback(provider.baseUrl ?? OLLAMA_DEFAULT_BASE_URL);
  if (provider.kind === 'openai-compatible') return presetFor(provider)?.keyless === true && isLoopback(baseUrlOf(provider, ''));
  return false;
}
