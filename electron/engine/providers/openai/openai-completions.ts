// Legacy text completions (`/v1/completions`: prompt in, text out, with `suffix` for the
// fill-in-the-middle that editors' tab autocomplete uses) from OpenAI-protocol providers. The client's
// body passes through with `model` rewritten (and usage asked for on streams); the answer comes back as
// the upstream sent it, usage tapped for the ledger. Other protocols have no such endpoint.
import { UpstreamStreamError } from '../../canonical/errors';
import type { Attempt } from '../../router/failover';
import { AttemptError } from '../../router/failures';
import { openAIEndpoint } from '../endpoints';
import { holdUntilFirstToken, type HeldStream } from '../first-token';
import { upstreamFailure } from '../open-canonical';
import { parseAnswer, type OpenedJson } from './openai-open';
import { presetFor } from '../presets';
import type { SseEvent } from '../sse';
import { OPENAI_STREAM_WATCH } from '../stream-watch';
import { sendAttempt, sendAttemptForText, type UpstreamCall } from '../transport';

const COMPLETION_KINDS: ReadonlySet<string> = new Set(['openai', 'openai-compatible', 'azure-openai']);

function completionsCall(body: Record<string, unknown>, { target, key }: Attempt, stream: boolean): UpstreamCall {
  if (!COMPLETION_KINDS.has(target.provider.kind)) {
    throw new AttemptError(
      'unsupported',
      `provider kind "${target.provider.kind}" (${target.provider.id}) has no OpenAI-style /completions endpoint`,
    );
  }
  const upstream: Record<string, unknown> = { ...body, model: target.model };
  if (stream && !presetFor(target.provider)?.noStreamOptions) {
    upstream.stream_options = { ...(body.stream_options as Record<string, unknown> | undefined), include_usage: true };
  }
  const endpoint = openAIEndpoint(target.provider, target.model, key.secret, '/completions');
  return {
    url: endpoint.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...endpoint.headers },
    body: JSON.stringify(upstream),
  };
}

/** A completion chunk that shows the client something (text, an end, or the usage-only chunk). */
function isFirstText(event: SseEvent): boolean {
  if (event.data === '[DONE]') return true;
  const chunk = JSON.parse(event.data) as {
    choices?: Array<{ text?: unknown; finish_reason?: unknown }>;
    usage?: unknown;
    error?: { message?: string };
  };
  if (chunk.error) throw new UpstreamStreamError(chunk.error.message ?? 'unknown');
  const choice = chunk.choices?.[0];
  if (!choice) return Boolean(chunk.usage);
  return Boolean(choice.finish_reason) || (typeof choice.text === 'string' && choice.text.length > 0);
}

export async function openCompletionsJson(body: Record<string, unknown>, attempt: Attempt): Promise<OpenedJson> {
  const { status, headers, text } = await sendAttemptForText(attempt, completionsCall(body, attempt, false));
  if (status !== 200) throw upstreamFailure(status, text, headers, attempt.key.secret);
  return { text, json: parseAnswer(text, 'choices', 'a completion') };
}

export async function openCompletionsStream(body: Record<string, unknown>, attempt: Attempt): Promise<HeldStream> {
  const res = await sendAttempt(attempt, completionsCall(body, attempt, true));
  if (res.status !== 200) throw upstreamFailure(res.status, await res.body.text().catch(() => ''), res.headers, attempt.key.secret);
  return holdUntilFirstToken(res.body, isFirstText, attempt.key.secret, OPENAI_STREAM_WATCH);
}
