// How far an upstream's 429 reaches. Providers rate-limit per model (OpenAI per organization and
// model, Anthropic per model class, Gemini per project and model), so a 429 cools only that model on
// the key; the whole key cools only when the error body says the account itself is out.
import type { LimitScope } from './failures';

/**
 * OpenAI's quota family (error `type` `insufficient_quota`, with the finer `code`): the organization
 * or project behind the key has no credit or spend left, for every model, until someone pays.
 */
const ACCOUNT_CODES = new Set([
  'insufficient_quota',
  'credit_balance_exhausted',
  'organization_spend_limit_exceeded',
  'organization_usage_limit_exceeded',
  'project_spend_limit_exceeded',
  'billing_hard_limit_reached',
]);

/** Error bodies are short; a huge one is not worth parsing for this. */
const MAX_BODY = 64 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * 'key' when a 429's body names an account-wide limit: OpenAI's quota codes above, or a Gemini
 * `RESOURCE_EXHAUSTED` whose quota violations all lack a `model` dimension (a per-project quota).
 * Anything else, including a body we cannot read, is 'model'.
 */
export function limitScope(status: number, bodyText: string): LimitScope {
  if (status !== 429 || !bodyText || bodyText.length > MAX_BODY) return 'model';
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return 'model';
  }
  // Gemini sometimes wraps its error object in a one-element array.
  const error = (Array.isArray(body) ? body[0] : body) as Json | undefined;
  const e = isObject(error) && isObject(error.error) ? error.error : undefined;
  if (!e) return 'model';
  if (ACCOUNT_CODES.has(String(e.type)) || ACCOUNT_CODES.has(String(e.code))) return 'key';
  const violations = (Array.isArray(e.details) ? e.details : [])
    .filter((d): d is Json => isObject(d) && String(d['@type']).endsWith('google.rpc.QuotaFailure'))
    .flatMap((d) => (Array.isArray(d.violations) ? d.violations : []));
  if (violations.length > 0 && violations.every((v) => !(isObject(v) && isObject(v.quotaDimensions) && v.quotaDimensions.model)))
    return 'key';
  return 'model';
}
