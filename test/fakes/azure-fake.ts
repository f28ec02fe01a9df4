// A fake Azure OpenAI resource: the OpenAI wire format behind Azure's URL shapes
// (`/openai/deployments/{deployment}/chat/completions?api-version=...` and the v1 form
// `/openai/v1/chat/completions`) and its `api-key` header; the deployment name stands for the model.
import { startOpenAIFake, type FakeOptions, type OpenAIFake } from './openai-fake';

export interface AzureFake extends OpenAIFake {
  /** The resource endpoint, e.g. `http://127.0.0.1:PORT` (as `https://NAME.openai.azure.com`). */
  endpoint: string;
}

export async function startAzureFake(options: Omit<FakeOptions, 'azure'> & { deployments?: string[] } = {}): Promise<AzureFake> {
  const fake = await startOpenAIFake({
    ...options,
    models: options.deployments ?? options.models ?? ['gpt-4o-deploy'],
    azure: true,
    scenario: options.scenario ?? true,
  });
  return { ...fake, endpoint: fake.url.replace(/\/v1$/, '') };
}
