// The transport's kept-alive connections to an upstream on this machine: given up after 4 s idle when
// the server sends no Keep-Alive hint, under the 5 s after which such servers (uvicorn, Node) close them
// silently: reusing one as it closes fails the request. And whole answers read as text through the
// dispatch path (text-answer.ts): what `request()` + `body.text()` gave callers before, and cancellation
// at each point of a request's life.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancel } from '../cancel';
import { Transport } from './transport';

let server: Server | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  await transport?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = transport = undefined;
});

const call = (url: string) => ({ url, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('Transport to a local upstream', () => {
  it('opens a fresh connection after 4 s idle instead of reusing one the server may be closing', async () => {
    const sockets = new Set<Socket>();
    server = createServer((req, res) => {
      sockets.add(req.socket);
      req.resume();
      // An explicit keep-alive and no Keep-Alive timeout hint, as OpenAI-compatible servers send.
      req.on('end', () => res.writeHead(200, { connection: 'keep-alive' }).end('ok'));
    });
    server.keepAliveTimeout = 60_000; // this one never closes first: the client must let go by itself
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
    transport = new Transport();
    await (await transport.send(call(url))).body.text();
    await new Promise((r) => setTimeout(r, 200));
    await (await transport.send(call(url))).body.text();
    expect(sockets.size).toBe(1); // a short pause reuses the connection
    await new Promise((r) => setTimeout(r, 5_500));
    await (await transport.send(call(url))).body.text();
    expect(sockets.size).toBe(2);
  }, 15_000);
});

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  transport = new Transport();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
}

describe('Transport.sendForText', () => {
  it('gives the status, the headers as request() does and the body as UTF-8 text without a BOM', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(429, [
        ['Retry-After', '7'],
        ['X-Many', 'one'],
        ['X-Many', 'two'],
        ['Content-Type', 'application/json'],
      ]);
      // A BOM, then multi-byte characters split across two writes.
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"error":"é€😀"}')]);
      res.write(body.subarray(0, 8));
      setTimeout(() => res.end(body.subarray(8)), 5);
    });
    const viaText = await transport!.sendForText(call(url));
    const viaStream = await transport!.send(call(url));
    const streamedText = await viaStream.body.text();
    expect(viaText.status).toBe(429);
    expect(viaText.text).toBe('{"error":"é€😀"}');
    expect(viaText.text).toBe(streamedText);
    expect(viaText.headers['retry-after']).toBe('7');
    expect(viaText.headers['x-many']).toEqual(['one', 'two']);
    expect(viaText.headers).toEqual(viaStream.headers);
  });

  it('skips an informational head and answers with the final one', async () => {
    const url = await serve((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 5);
    });
    const answer = await transport!.sendForText(call(url));
    expect(answer).toMatchObject({ status: 200, text: '{"ok":true}' });
  });

  it('rejects with the signal reason when cancelled mid-answer, and never sends one cancelled before', async () => {
    let received = 0;
    const url = await serve((_req, res) => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":'); // and never ends
    });
    const cancel = new Cancel();
    const pending = transport!.sendForText(call(url), cancel);
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('the client left');
    cancel.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const early = new Cancel();
    early.abort(new Error('gone already'));
    await expect(transport!.sendForText(call(url), early)).rejects.toThrow('gone already');
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toBe(1);
  });

  it('rejects with undici’s error when the upstream drops the connection mid-answer', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"cut":');
      setTimeout(() => req.socket.destroy(), 5);
    });
    await expect(transport!.sendForText(call(url))).rejects.toThrow(/other side closed|socket/i);
  });
});
