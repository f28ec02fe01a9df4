// The floor for any Node gateway: a bare pass-through proxy (node:http server, undici client, bytes
// piped through; no auth, routing, parsing or ledger). What it adds over a direct call is what Node's
// HTTP stack and the extra loopback hop cost on this machine before a gateway does any work.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

/** Forwards every request to the origin named in its `x-upstream` header. */
export function startFloorProxy(): Promise<string> {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' };
      request(`${req.headers['x-upstream'] as string}${req.url}`, {
        method: 'POST',
        headers,
        body: Buffer.concat(chunks),
        dispatcher: agent,
      })
        .then(async (up) => {
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
          for await (const c of up.body) res.write(c);
          res.end();
        })
        .catch(() => res.destroy());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}
