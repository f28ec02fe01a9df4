// Where an OpenAI-protocol request goes and how it authenticates, per provider kind: OpenAI and
// compatible vendors (Bearer), Azure OpenAI deployments (`api-key`, `api-version`) and Azure's v1 form.
import { presetFor, type ProviderRef } from './presets';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/** Base URL without trailing slashes (a preset's default when the config gives none). */
export function baseUrlOf(provider: ProviderRef, fallback: string): string {
  return (provider.baseUrl ?? presetFor(provider)?.baseUrl ?? fallback).replace(/\/+$/, '');
}

/**
 * Azure: `https://R.openai.azure.com` (+ optional `?api-version=`) means the deployments form, where
 * the target's model is the deployment name; a base URL ending in `/openai/v1` is the v1 form, which
 * takes the model in the body like OpenAI.
 */
function azureEndpoint(provider: ProviderRef, deployment: string, path: string): string {
  const raw = new URL(provider.baseUrl ?? 'https://invalid.azure');
  const version = raw.searchParams.get('api-version');
  const base = `${raw.origin}${raw.pathname.replace(/\/+$/, '')}`;
  if (/\/openai\/v1$/.test(base)) return `${base}${path}${version ? `?api-version=${version}` : ''}`;
  const root = base.replace(/\/openai$/, '');
  return `${root}/openai/deployments/${encodeURIComponent(deployment)}${path}?api-version=${version ?? AZURE_DEFAULT_API_VERSION}`;
}

/** Chat completions endpoint and auth headers for one OpenAI-protocol target. */
export function openAIChatEndpoint(provider: ProviderRef, model: string, apiKey: string): Endpoint {
  return openAIEndpoint(provider, model, apiKey, '/chat/completions');
}

/** An OpenAI-protocol endpoint (`/chat/completions`, `/completions`) and its auth headers for one target. */
export function openAIEndpoint(provider: ProviderRef, model: string, apiKey: string, path: string): Endpoint {
  if (provider.kind === 'azure-openai') {
    return { url: azureEndpoint(provider, model, path), headers: apiKey ? { 'api-key': apiKey } : {} };
  }
  const preset = presetFor(provider);
  const headers: Record<string, string> = { ...preset?.headers };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return { url: `${baseUrlOf(provider, OPENAI_DEFAULT_BASE_URL)}${path}`, headers };
}

/** Model-list endpoint for OpenAI-protocol providers (key validation uses it too). */
export function openAIModelsEndpoint(provider: ProviderRef, apiKey: string): Endpoint {
  if (provider.kind === 'azure-openai') {
    const raw = new URL(provider.baseUrl ?? 'https://invalid.azure');
    const base = `${raw.origin}${raw.pathname.replace(/\/+$/, '')}`;
    const url = /\/openai\/v1$/.test(base)
      ? `${base}/models`
      : `${base.replace(/\/openai$/, '')}/openai/models?api-version=${raw.searchParams.get('api-version') ?? AZURE_DEFAULT_API_VERSION}`;
    return { url, headers: { 'api-key': apiKey } };
  }
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return { url: `${baseUrlOf(provider, OPENAI_DEFAULT_BASE_URL)}/models`, headers };
}
