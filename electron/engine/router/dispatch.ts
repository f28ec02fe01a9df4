// Routes one chat request through the failover loop, with the protocol opener chosen by each
// target's provider kind: pass-through when the client's dialect is the upstream's protocol,
// translation through the canonical types otherwise.
import { decodeAnthropicRequest } from '../providers/anthropic/anthropic-request';
import { decodeOpenAIRequest } from '../providers/openai/openai-request';
import type { CanonicalRequest, CanonicalResponse } from '../canonical/types';
import {
  openAnthropicPassJson,
  openAnthropicPassStream,
  openTranslatedAnthropicJson,
  openTranslatedAnthropicStream,
  type AnthropicClientHeaders,
} from '../providers/anthropic/anthropic-open';
import { isOpenAIProtocol, openCanonicalResponse, openCanonicalStream, type OpenedEvents } from '../providers/open-canonical';
import { openCompletionsJson, openCompletionsStream } from '../providers/openai/openai-completions';
import { openOpenAIJson, openOpenAIStream, type OpenedJson, type OpenedStream } from '../providers/openai/openai-open';
import { presetFor } from '../providers/presets';
import { openTranslatedOpenAIJson, openTranslatedOpenAIStream } from '../providers/openai/translate-openai';
import type { ProviderConfig } from '../settings/config-schema';
import type { Vault } from '../vault/types';
import { ClientRequestError } from './failures';
import { runWithFailover, type Attempt, type FailoverInput, type Served } from './failover';
import type { RoutePlan } from './resolve';
import { withFields } from '../with-fields';

export interface DispatchInput extends FailoverInput {
  body: Record<string, unknown>;
  /** Fields only OpenAI's own API takes (`prompt_cache_key`): added for targets of kind `openai` only. */
  openAIOnly?: Record<string, unknown>;
}

/** The body one OpenAI-protocol attempt sends: compatible servers may refuse fields only OpenAI knows. */
const openAIBody = (input: DispatchInput, { target }: Attempt): Record<string, unknown> =>
  input.openAIOnly && target.provider.kind === 'openai' ? { ...input.body, ...input.openAIOnly } : input.body;

export interface AnthropicDispatchInput extends DispatchInput {
  client: AnthropicClientHeaders;
}

export interface CanonicalDispatchInput extends FailoverInput {
  request: CanonicalRequest;
}

export type StreamServed = OpenedStream & Served;
export type JsonServed = OpenedJson & Served;

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/i;

/** Local servers (Ollama, LM Studio, vLLM, llama.cpp, anything on loopback) may have no key. */
function keylessProvider(provider: ProviderConfig): boolean {
  if (provider.keys.length > 0) return false;
  return (
    provider.kind === 'ollama' ||
    Boolean(presetFor(provider)?.keyless) ||
    (provider.kind === 'openai-compatible' && LOOPBACK.test(provider.baseUrl ?? ''))
  );
}

/** The plan's first candidate whose provider passes `test`. */
function findProvider(plan: RoutePlan, test: (p: ProviderConfig) => boolean): ProviderConfig | undefined {
  for (const step of plan.steps) for (const m of step.members) if (test(m.target.provider)) return m.target.provider;
  return undefined;
}

/** Keyless providers with no key configured get an empty one (no auth header is sent). */
function keylessAware(input: FailoverInput): FailoverInput {
  if (!findProvider(input.plan, keylessProvider)) return input;
  const inner = input.vault;
  const vault: Vault = Object.create(inner) as Vault;
  vault.keysFor = (providerId, keys) => {
    const found = inner.keysFor(providerId, keys);
    if (found.length || keys.length) return found;
    const provider = findProvider(input.plan, (p) => p.id === providerId);
    return provider && keylessProvider(provider) ? [{ label: '(keyless)', secret: '' }] : found;
  };
  return withFields(input, { vault });
}

/**
 * Decodes the client's body once per request, only if some target needs translation. Decoding reads
 * nothing but the client's body, so whatever it throws is a request we could not process: the client
 * gets a 400 and no target is blamed.
 */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    if (value !== undefined) return value;
    try {
      return (value = make());
    } catch (error) {
      if (error instanceof ClientRequestError) throw error;
      throw new ClientRequestError(
        `the request could not be translated for this provider: ${(error as Error | null)?.message ?? String(error)}`,
      );
    }
  };
}

export function dispatchStream(input: DispatchInput): Promise<StreamServed> {
  const canonical = lazy(() => decodeOpenAIRequest(input.body));
  return runWithFailover(withFields(keylessAware(input), { stream: true }), (attempt) =>
    isOpenAIProtocol(attempt.target.provider.kind)
      ? openOpenAIStream(openAIBody(input, attempt), attempt)
      : openTranslatedOpenAIStream(canonical(), attempt),
  );
}

export function dispatchJson(input: DispatchInput): Promise<JsonServed> {
  const canonical = lazy(() => decodeOpenAIRequest(input.body));
  return runWithFailover(keylessAware(input), (attempt) =>
    isOpenAIProtocol(attempt.target.provider.kind)
      ? openOpenAIJson(openAIBody(input, attempt), attempt)
      : openTranslatedOpenAIJson(canonical(), attempt),
  );
}

/** Legacy text completions (`/v1/completions`): OpenAI-protocol targets only, passed through. */
export function dispatchCompletionsStream(input: DispatchInput): Promise<StreamServed> {
  return runWithFailover(withFields(keylessAware(input), { stream: true }), (attempt) => openCompletionsStream(input.body, attempt));
}

export function dispatchCompletionsJson(input: DispatchInput): Promise<JsonServed> {
  return runWithFailover(keylessAware(input), (attempt) => openCompletionsJson(input.body, attempt));
}

export function dispatchAnthropicStream(input: AnthropicDispatchInput): Promise<StreamServed> {
  const canonical = lazy(() => decodeAnthropicRequest(input.body));
  return runWithFailover(withFields(keylessAware(input), { stream: true }), (attempt) =>
    attempt.target.provider.kind === 'anthropic'
      ? openAnthropicPassStream(input.body, input.client, attempt)
      : openTranslatedAnthropicStream(canonical(), attempt),
  );
}

export function dispatchAnthropicJson(input: AnthropicDispatchInput): Promise<JsonServed> {
  const canonical = lazy(() => decodeAnthropicRequest(input.body));
  return runWithFailover(keylessAware(input), (attempt) =>
    attempt.target.provider.kind === 'anthropic'
      ? openAnthropicPassJson(input.body, input.client, attempt)
      : openTranslatedAnthropicJson(canonical(), attempt),
  );
}

export const dispatchCanonicalStream = (input: CanonicalDispatchInput): Promise<OpenedEvents & Served> =>
  runWithFailover(withFields(keylessAware(input), { stream: true }), (attempt) => openCanonicalStream(input.request, attempt));

export const dispatchCanonicalResponse = (input: CanonicalDispatchInput): Promise<{ response: CanonicalResponse } & Served> =>
  runWithFailover(keylessAware(input), async (attempt) => ({ response: await openCanonicalResponse(input.request, attempt) }));
