// Embeddings from OpenAI-protocol providers: the client's body passes through with only `model`
// rewritten, and the upstream JSON comes back as it is (usage tapped for the ledger).
import type { Attempt } from '../../router/failover';
import { AttemptError, classifyStatus } from '../../router/failures';
import { errorMessageFromBody, OPENAI_DEFAULT_BASE_URL } from './openai-compatible';
import { sendAttemptForText } from '../transport';

/** Provider kinds that speak OpenAI's /embeddings. */
const EMBEDDING_KINDS: ReadonlySet<string> = new Set(['openai', 'openai-compatible']);

export interface OpenedEmbeddings {
  text: string;
  usage: unknown;
}

export async function openOpenAIEmbeddings(body: Record<string, unknown>, attempt: Attempt): Promise<OpenedEmbeddings> {
  const { target, key } = attempt;
  if (!EMBEDDING_KINDS.has(target.provider.kind)) {
    throw new AttemptError(
      'unsupported',
      `provider kind "${target.provider.kind}" (${target.provider.id}) has no OpenAI-compatible embeddings endpoint`,
    );
  }
  const base = (target.provider.baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const { status, text } = await sendAttemptForText(attempt, {
    url: `${base}/embeddings`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key.secret}` },
    body: JSON.stringify({ ...body, model: target.model }),
  });
  if (status !== 200)
    throw new AttemptError(classifyStatus(status), errorMessageFromBody(text, [key.secret]) ?? `upstream answered ${status}`, status);
  let json: { usage?: unknown };
  try {
    json = JSON.parse(text) as { usage?: unknown };
  } catch {
    throw new AttemptError('malformed', 'upstream sent an embeddings body that is not JSON', 200);
  }
  return { text, usage: json.usage };
}
