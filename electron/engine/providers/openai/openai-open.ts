// Opens an OpenAI-protocol chat completion upstream, streaming or not, and holds a stream back until
// its first token so that a target failing before then can still be skipped.
import { AttemptError } from '../../router/failures';
import { upstreamFailure } from '../open-canonical';
import { buildChatCall } from './openai-compatible';
import { holdUntilFirstToken, type HeldStream } from '../first-token';
import type { SseEvent } from '../sse';
import { OPENAI_STREAM_WATCH } from '../stream-watch';
import { sendAttempt, sendAttemptForText } from '../transport';
import type { Attempt } from '../../router/failover';
import type { Usage } from '../../canonical/usage';

/** A stream held back until its first token (see first-token.ts). */
export type OpenedStream = HeldStream;

export interface OpenedJson {
  text: string;
  json: Record<string, unknown>;
  /** Exact usage when the body was translated (OpenAI's usage shape cannot carry cache writes). */
  usage?: Usage | null;
}

/** An event that carries something the client will show (or ends the reply). */
function isFirstToken(event: SseEvent): boolean {
  if (event.data === '[DONE]') return true;
  const chunk = JSON.parse(event.data) as {
    choices?: Array<{ delta?: Record<string, unknown>; finish_reason?: unknown }>;
    usage?: unknown;
  };
  const choice = chunk.choices?.[0];
  if (!choice) return Boolean(chunk.usage);
  if (choice.finish_reason) return true;
  const d = choice.delta ?? {};
  return Boolean(d.content || d.tool_calls || d.reasoning_content || d.refusal || d.function_call);
}

function callFor(body: Record<string, unknown>, { target, key }: Attempt) {
  return buildChatCall(body, target.provider, target.model, key.secret);
}

async function failure(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  secret: string,
): Promise<never> {
  throw upstreamFailure(status, text, headers, secret);
}

export async function openOpenAIStream(body: Record<string, unknown>, attempt: Attempt): Promise<OpenedStream> {
  const res = await sendAttempt(attempt, callFor(body, attempt));
  if (res.status !== 200) return failure(res.status, res.headers, await res.body.text().catch(() => ''), attempt.key.secret);
  return holdUntilFirstToken(res.body, isFirstToken, attempt.key.secret, OPENAI_STREAM_WATCH);
}

export async function openOpenAIJson(body: Record<string, unknown>, attempt: Attempt): Promise<OpenedJson> {
  const { status, headers, text } = await sendAttemptForText(attempt, callFor(body, attempt));
  if (status !== 200) return failure(status, headers, text, attempt.key.secret);
  return { text, json: parseAnswer(text, 'choices', 'a chat completion') };
}

/**
 * A 200 body that must be an answer: JSON with the array field every answer has. `{}`, an HTML page
 * or an error object sent with 200 is no answer, and the next target may have one.
 */
export function parseAnswer(text: string, field: string, what: string): Record<string, unknown> {
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(text) as Record<string, unknown> | null;
  } catch {
    throw new AttemptError('malformed', 'upstream sent a body that is not JSON', 200);
  }
  if (!json || !Array.isArray(json[field]))
    throw new AttemptError('malformed', `upstream answered 200 with JSON that is not ${what} (no \`${field}\`)`, 200);
  return json;
}
