// The transport's kept-alive connections to an upstream on this machine: given up after 4 s idle when
// the server sends no Keep-Alive hint, under the 5 s after which such servers (uvicorn, Node) close them
// silently: reusing one as it closes fails the request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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
