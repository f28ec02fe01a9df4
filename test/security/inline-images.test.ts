// Regression tests for hardening issue item 10: image URLs that Ollama and Gemini targets need inline
// are fetched only from public addresses (checked after resolution, on every redirect, with the socket
// opened to the checked address), capped in size and time, image types only, and a client learns only
// that the image could not be fetched. Name resolution is injected: names map to addresses in a
// table, and "public" ones are answered by a loopback fake, so no traffic ever leaves the machine.
import { connect, type Socket } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchPublicImage,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchOptions,
} from '../../electron/engine/providers/image-fetch';
import { PNG, startImageHostFake, type ImageHostFake } from '../fakes/image-host-fake';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startHarness, type Harness } from '../support/engine-harness';

/** Stands in for the public internet: a documented public address (nothing is ever sent to it). */
const PUBLIC = '93.184.215.14';
/** A second public address, whose "host" refuses connections (its socket goes to a closed loopback port). */
const DOWN = '93.184.215.15';
const NAMES: Record<string, string[]> = {
  'images.example': [PUBLIC],
  'down.example': [DOWN],
  localhost: ['127.0.0.1', '::1'],
  'internal.example': ['10.0.0.5'],
  'mixed.example': [PUBLIC, '192.168.1.10'],
  'ula.example': ['fd00::5'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'meta.example': ['169.254.169.254'],
};

let host: ImageHostFake;
let closedPort: number;

/** Injected resolver and socket opener, recording what they were asked; sockets all go to the fake. */
function injected() {
  const looked: string[] = [];
  const connected: Array<{ address: string; port: number }> = [];
  const options: ImageFetchOptions = {
    lookup: async (name) => {
      looked.push(name);
      const addresses = NAMES[name];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return addresses;
    },
    openSocket: (address, port): Socket => {
      connected.push({ address, port });
      return connect(address === DOWN ? closedPort : host.port, '127.0.0.1');
    },
  };
  return { looked, connected, options };
}

async function failure(promise: Promise<unknown>): Promise<ImageFetchFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFetchError);
  return (error as ImageFetchError).reason;
}

const never = () => new AbortController().signal;

beforeAll(async () => {
  host = await startImageHostFake();
  const closed = await startImageHostFake();
  closedPort = closed.port;
  await closed.close();
});
afterAll(async () => {
  await host?.close();
});
beforeEach(() => {
  host.requests.length = 0;
});

describe('the image fetcher', () => {
  it('fetches an image from a name that resolves to a public address, connecting to that address', async () => {
    const { looked, connected, options } = injected();
    const image = await fetchPublicImage('http://images.example/x.png', never(), options);
    expect(image.mediaType).toBe('image/png');
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(looked).toEqual(['images.example']);
    expect(connected).toEqual([{ address: PUBLIC, port: 80 }]);
    expect(host.requests).toEqual([{ path: '/x.png', host: 'images.example' }]);
  });

  it.each([
    ['the fake host itself', () => `${host.url}/x.png`],
    ['a decimal IPv4 literal', () => 'http://2130706433/x.png'],
    ['a hex IPv4 literal', () => 'http://0x7f.1/x.png'],
    ['an octal IPv4 literal', () => 'http://0177.0.0.1/x.png'],
    ['a short IPv4 literal', () => 'http://127.1/x.png'],
    ['the unspecified address', () => 'http://0/x.png'],
    ['IPv6 loopback', () => 'http://[::1]/x.png'],
    ['IPv4-mapped IPv6 loopback', () => 'http://[::ffff:127.0.0.1]/x.png'],
    ['a link-local metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'https://192.168.0.1/x.png'],
    ['IPv6 link-local', () => 'http://[fe80::1]/x.png'],
    ['a name resolving to a private address', () => 'http://internal.example/x.png'],
    ['a name resolving to a public and a private address', () => 'http://mixed.example/x.png'],
    ['a name resolving to a unique-local IPv6 address', () => 'http://ula.example/x.png'],
    ['a name resolving to IPv4-mapped loopback', () => 'http://mapped.example/x.png'],
    ['a name resolving to the metadata address', () => 'http://meta.example/x.png'],
  ])('refuses %s without connecting', async (_what, url) => {
    const { connected, options } = injected();
    expect(await failure(fetchPublicImage(url(), never(), options))).toBe('address');
    expect(connected).toEqual([]);
    expect(host.requests).toEqual([]);
  });

  it('refuses loopback names and literals with the default socket opener too', async () => {
    const { options } = injected();
    expect(await failure(fetchPublicImage(`http://localhost:${host.port}/x.png`, never(), { lookup: options.lookup }))).toBe('address');
    expect(await failure(fetchPublicImage(`${host.url}/x.png`, never()))).toBe('address');
    expect(await failure(fetchPublicImage(`http://[::1]:${host.port}/x.png`, never()))).toBe('address');
    expect(host.requests).toEqual([]);
  });

  it('refuses other schemes and names that do not resolve', async () => {
    const { connected, options } = injected();
    expect(await failure(fetchPublicImage('file:///etc/passwd', never(), options))).toBe('url');
    expect(await failure(fetchPublicImage('ftp://images.example/x.png', never(), options))).toBe('url');
    expect(await failure(fetchPublicImage('http://nowhere.example/x.png', never(), options))).toBe('resolve');
    expect(connected).toEqual([]);
  });

  it('resolves once per hop: the connection goes to the address that was checked, whatever DNS says later', async () => {
    const { connected, options } = injected();
    let answers = 0;
    // A rebinding resolver: public on the first answer, loopback on every later one.
    const rebinding: ImageFetchOptions = { ...options, lookup: async () => (answers++ === 0 ? [PUBLIC] : ['127.0.0.1']) };
    await fetchPublicImage('http://images.example/x.png', never(), rebinding);
    expect(answers).toBe(1);
    expect(connected.map((c) => c.address)).toEqual([PUBLIC]);
  });

  it('checks every redirect again, and follows only a few', async () => {
    const { looked, connected, options } = injected();
    host.redirect('/moved.png', '/x.png', 301);
    const image = await fetchPublicImage('http://images.example/moved.png', never(), options);
    expect(image.bytes.equals(PNG)).toBe(true);
    expect(looked).toEqual(['images.example', 'images.example']);
    expect(connected.map((c) => c.address)).toEqual([PUBLIC, PUBLIC]);

    host.redirect('/to-loopback.png', `${host.url}/x.png`);
    host.redirect('/to-internal.png', 'http://internal.example/x.png', 307);
    host.redirect('/to-file.png', 'file:///etc/passwd');
    host.requests.length = 0;
    expect(await failure(fetchPublicImage('http://images.example/to-loopback.png', never(), options))).toBe('address');
    expect(await failure(fetchPublicImage('http://images.example/to-internal.png', never(), options))).toBe('address');
    expect(await failure(fetchPublicImage('http://images.example/to-file.png', never(), options))).toBe('url');
    // Only the first hops arrived; nothing was asked for where they pointed.
    expect(host.requests.map((r) => r.path)).toEqual(['/to-loopback.png', '/to-internal.png', '/to-file.png']);

    host.redirect('/loop.png', '/loop.png');
    host.requests.length = 0;
    expect(await failure(fetchPublicImage('http://images.example/loop.png', never(), { ...options, maxRedirects: 3 }))).toBe('redirect');
    expect(host.requests.length).toBe(4);
  });

  it('takes only images, within the size cap and the time limit, and only a 200', async () => {
    const { options } = injected();
    expect(await failure(fetchPublicImage('http://images.example/page.html', never(), options))).toBe('content-type');
    expect(await failure(fetchPublicImage('http://images.example/big.png', never(), { ...options, maxBytes: 1024 }))).toBe('size');
    expect(await failure(fetchPublicImage('http://images.example/big-chunked.png', never(), { ...options, maxBytes: 1024 }))).toBe('size');
    expect(await failure(fetchPublicImage('http://images.example/missing.png', never(), options))).toBe('status');
    expect(await failure(fetchPublicImage('http://images.example/stall.png', never(), { ...options, timeoutMs: 200 }))).toBe('timeout');
  });

  it("passes the caller's abort through as it is", async () => {
    const { options } = injected();
    const caller = new AbortController();
    const pending = fetchPublicImage('http://images.example/stall.png', caller.signal, options);
    setTimeout(() => caller.abort(new Error('client went away')), 50);
    await expect(pending).rejects.toThrow('client went away');
  });
});

describe('image URLs through the port', () => {
  let ol: OllamaFake;
  let gm: GeminiFake;
  let h: Harness;
  let openai: OpenAI;

  beforeAll(async () => {
    [ol, gm] = await Promise.all([startOllamaFake(), startGeminiFake({ apiKey: 'k-gm' })]);
    h = await startHarness(
      {
        providers: [
          { id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'llama3.2' }] },
          { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K_GM' }], models: [{ id: 'gemini-2.5-flash' }] },
        ],
        routes: [],
      },
      { K_GM: 'k-gm' },
    );
    openai = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([ol?.close(), gm?.close()]);
  });

  const askWithImage = (model: string, url: string) =>
    openai.chat.completions
      .create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what?' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

  it('refuses an image on loopback with a 400 that says only that it could not be fetched; nothing is sent anywhere', async () => {
    // The image "is" on the Ollama fake's own port: it must see neither the image fetch nor the chat.
    const error = await askWithImage('ol/llama3.2', `${ol.url}/x.png`);
    expect(ol.requests).toEqual([]);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const message = (error as Error).message;
    const port = new URL(ol.url).port;
    for (const leak of ['127.0.0.1', port, 'ECONNREFUSED', '404', 'x.png']) expect(message).not.toContain(leak);
    expect(message).toMatch(/image .*could not be fetched/);
  });

  it('refuses it for a Gemini target the same way', async () => {
    const error = await askWithImage('gm/gemini-2.5-flash', `${gm.url}/x.png`);
    expect(gm.requests).toEqual([]);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/image .*could not be fetched/);
  });
});

describe('image URLs through the port, from a public host', () => {
  let ol: OllamaFake;
  let h: Harness;
  let openai: OpenAI;
  const fetching = injected();

  beforeAll(async () => {
    ol = await startOllamaFake();
    h = await startHarness(
      { providers: [{ id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'llama3.2' }] }], routes: [] },
      {},
      'test-client',
      { imageFetch: fetching.options },
    );
    openai = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
  });
  afterAll(async () => {
    await h?.close();
    await ol?.close();
  });

  it('inlines the image for Ollama, and still refuses a redirect to loopback', async () => {
    const r = await openai.chat.completions.create({
      model: 'ol/llama3.2',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what?' },
            { type: 'image_url', image_url: { url: 'http://images.example/x.png' } },
          ],
        },
      ],
    });
    expect(r.choices[0]!.message.content).toBe(`I see a base64 image of ${PNG.length} bytes.`);
    expect(fetching.connected).toEqual([{ address: PUBLIC, port: 80 }]);
    expect(ol.requests.length).toBe(1);

    host.redirect('/bounce.png', `${ol.url}/x.png`);
    const bounced = await openai.chat.completions
      .create({
        model: 'ol/llama3.2',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://images.example/bounce.png' } }] }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(bounced).toBeInstanceOf(OpenAI.BadRequestError);
    expect(ol.requests.length).toBe(1);
  });

  it('gives one answer whatever went wrong: refused address, refused connection, 404, not an image, no such name', async () => {
    const messages = new Set<string>();
    for (const url of [
      'http://internal.example/x.png',
      'http://down.example/x.png',
      'http://images.example/missing.png',
      'http://images.example/page.html',
      'http://nowhere.example/x.png',
    ]) {
      const error = await openai.chat.completions
        .create({ model: 'ol/llama3.2', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      messages.add((error as Error).message);
    }
    expect([...messages]).toHaveLength(1);
    expect(fetching.connected.map((c) => c.address)).toContain(DOWN);
    expect(ol.requests.length).toBe(1);
  });
});
