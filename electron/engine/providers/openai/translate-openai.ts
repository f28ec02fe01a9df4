// OpenAI clients of non-OpenAI upstreams (Anthropic, Gemini, Ollama): the translated stream comes
// back as OpenAI chunks, so the OpenAI dialect and the chat service handle every kind alike.
import { OpenAIChunkEncoder, openAIResponseBody } from './openai-stream';
import type { CanonicalRequest, StreamEvent } from '../../canonical/types';
import type { Attempt } from '../../router/failover';
import { openCanonicalResponse, openCanonicalStream } from '../open-canonical';
import type { OpenedJson, OpenedStream } from './openai-open';
import type { SseEvent } from '../sse';

async function* encodeRest(rest: AsyncGenerator<StreamEvent>, enc: OpenAIChunkEncoder): AsyncGenerator<SseEvent> {
  for await (const e of rest) for (const data of enc.encode(e)) yield { data };
  const { chunks, usageChunk } = enc.end();
  for (const data of chunks) yield { data };
  if (usageChunk) yield { data: usageChunk, usage: enc.usage ?? undefined };
  yield { data: '[DONE]' };
}

export async function openTranslatedOpenAIStream(req: CanonicalRequest, attempt: Attempt): Promise<OpenedStream> {
  const opened = await openCanonicalStream(req, attempt);
  const enc = new OpenAIChunkEncoder(attempt.target.model);
  const head: SseEvent[] = [];
  for (const e of opened.head) for (const data of enc.encode(e)) head.push({ data });
  return { head, rest: encodeRest(opened.rest, enc) };
}

export async function openTranslatedOpenAIJson(req: CanonicalRequest, attempt: Attempt): Promise<OpenedJson> {
  const r = await openCanonicalResponse(req, attempt);
  const json = openAIResponseBody(r);
  return { text: JSON.stringify(json), json, usage: r.usage };
}
