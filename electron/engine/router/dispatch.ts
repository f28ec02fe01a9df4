// Routes one OpenAI-shaped chat request: the failover loop over targets, with the protocol opener
// chosen by each target's provider kind.
import { openOpenAIJson, openOpenAIStream, type OpenedJson, type OpenedStream } from '../providers/openai-open';
import { SUPPORTED_KINDS } from '../settings/config-schema';
import { AttemptError } from './failures';
import { runWithFailover, type Attempt, type FailoverInput, type Served } from './failover';

export interface DispatchInput extends FailoverInput {
  body: Record<string, unknown>;
}

export type StreamServed = OpenedStream & Served;
export type JsonServed = OpenedJson & Served;

function ensureSupported({ target }: Attempt): void {
  if (!SUPPORTED_KINDS.has(target.provider.kind)) {
    throw new AttemptError('unsupported', `provider kind "${target.provider.kind}" (${target.provider.id}) is not yet supported`);
  }
}

export const dispatchStream = (input: DispatchInput): Promise<StreamServed> =>
  runWithFailover({ ...input, stream: true }, (attempt) => {
    ensureSupported(attempt);
    return openOpenAIStream(input.body, attempt);
  });

export const dispatchJson = (input: DispatchInput): Promise<JsonServed> =>
  runWithFailover(input, (attempt) => {
    ensureSupported(attempt);
    return openOpenAIJson(input.body, attempt);
  });
