// The HTTP transport against a stand-in fetch: wire shape, auth header, errors, streaming.
import { describe, expect, it } from 'vitest';
import { createHttpTransport } from './http';

type Seen = { url: string; init: RequestInit };

function fakeFetch(respond: (seen: Seen) => Response) {
  const seen: Seen[] = [];
  const fn = (async (url: URL | string, init: RequestInit = {}) => {
    const s = { url: String(url), init };
    seen.push(s);
    return respond(s);
  }) as typeof fetch;
  return { fn, seen };
}

describe('createHttpTransport', () => {
  it('posts RPC calls with the bearer token and returns the result', async () => {
    const { fn, seen } = fakeFetch(() => Response.json({ result: [{ id: 'default', kind: 'route', label: 'default' }] }));
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 'tok', fetch: fn });
    const result = await t.rpc({ service: 'models', method: 'list', params: [] });
    expect(result).toEqual([{ id: 'default', kind: 'route', label: 'default' }]);
    expect(seen[0]?.url).toBe('http://127.0.0.1:9/app/rpc');
    expect((seen[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({ service: 'models', method: 'list', params: [] });
  });

  it("raises the engine's error message", async () => {
    const { fn } = fakeFetch(() => Response.json({ error: { message: 'no such route' } }, { status: 400 }));
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 'tok', fetch: fn });
    await expect(t.rpc({ service: 'models', method: 'list', params: [] })).rejects.toThrow('no such route');
  });

  it("streams over the page's event channel, not a connection per stream", async () => {
    const enc = new TextEncoder();
    let channel!: ReadableStreamDefaultController<Uint8Array>;
    const { fn, seen } = fakeFetch(({ url, init }) => {
      const path = new URL(url).pathname;
      if (path === '/app/events') {
        const body = new ReadableStream<Uint8Array>({ start: (c) => (channel = c) });
        channel.enqueue(enc.encode('data: {"channel":"c1"}\n\n'));
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      }
      if (path === '/app/stream/start') {
        const { stream } = JSON.parse(String(init.body)) as { stream: string };
        // The events may arrive before the start is answered: they are kept.
        channel.enqueue(enc.encode(`data: ${JSON.stringify({ stream, event: { type: 'delta', text: 'hi' } })}\n\n`));
        channel.enqueue(enc.encode(`data: ${JSON.stringify({ stream, event: { type: 'error', message: 'boom' } })}\n\n`));
        channel.enqueue(enc.encode(`data: ${JSON.stringify({ stream, end: true })}\n\n`));
      }
      return Response.json({ result: null });
    });
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 'tok', fetch: fn });
    for (let i = 0; i < 2; i++) {
      const out: unknown[] = [];
      for await (const e of t.stream({ service: 'chat', method: 'stream', params: [{}] })) out.push(e);
      expect(out).toEqual([
        { type: 'delta', text: 'hi' },
        { type: 'error', message: 'boom' },
      ]);
    }
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual(['/app/events', '/app/stream/start', '/app/stream/start']);
    expect(seen.every((s) => (s.init.headers as Record<string, string>).authorization === 'Bearer tok')).toBe(true);
    expect(JSON.parse(String(seen[1]?.init.body))).toEqual({
      channel: 'c1',
      stream: 's1',
      call: { service: 'chat', method: 'stream', params: [{}] },
    });
  });

  it('explains a 401', async () => {
    const { fn } = fakeFetch(() => Response.json({ error: { message: 'unauthorized' } }, { status: 401 }));
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: null, fetch: fn });
    await expect(t.rpc({ service: 'models', method: 'list', params: [] })).rejects.toThrow(/unauthorized.*token/);
  });
});
