// A small setup the read-only screens share: one fake upstream, two providers (one with an env key,
// one whose keychain key is missing) and a two-target route, under a real `switchboard serve`.
import { startOpenAIFake, type OpenAIFake } from '../../fakes/openai-fake';
import { startServe, type ServeHandle } from './serve';

export async function startOneProvider(): Promise<{ fake: OpenAIFake; serve: ServeHandle; stop(): Promise<void> }> {
  const fake = await startOpenAIFake({ reply: 'hi', chunks: 1, models: ['m1', 'm2'], apiKey: 'sk-live-abcdefgh12345678' });
  const serve = await startServe({
    env: { ACME_KEY: 'sk-live-abcdefgh12345678' },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [
            { id: 'm1', contextWindow: 128000, price: { input: 1, output: 2 } },
            { id: 'm2', contextWindow: 32000 },
          ],
        },
        { id: 'backup', kind: 'anthropic', models: [{ id: 'claude-x', price: { input: 3, output: 15 } }] },
      ],
      routes: [
        {
          name: 'default',
          strategy: 'fallback',
          targets: [
            { provider: 'acme', model: 'm1' },
            { provider: 'acme', model: 'm2' },
          ],
        },
        { name: 'fast', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm2' }] },
      ],
    },
  });
  return { fake, serve, stop: async () => (await serve.stop(), await fake.close()) };
}
