// A fake web server hosting images, on loopback: a PNG, an HTML page, large images with and without
// Content-Length, one that never answers, 404s, and redirects a test sets up. It records every request
// (path and Host header), so a test can show a refused URL never reached it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from './fake-server';

/** A 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const BIG_IMAGE_BYTES = 64 * 1024;

export interface ImageHostFake {
  url: string;
  port: number;
  requests: Array<{ path: string; host: string }>;
  /** From now on `path` answers `status` (302 unless given) with a Location of `location`. */
  redirect(path: string, location: string, status?: number): void;
  close(): Promise<void>;
}

export async function startImageHostFake(): Promise<ImageHostFake> {
  const requests: ImageHostFake['requests'] = [];
  const redirects = new Map<string, { location: string; status: number }>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    requests.push({ path, host: req.headers.host ?? '' });
    const redirect = redirects.get(path);
    if (redirect) return res.writeHead(redirect.status, { location: redirect.location }).end();
    switch (path) {
      case '/x.png':
        return res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
      case '/page.html':
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>not an image</body></html>');
      case '/big.png':
        return res.writeHead(200, { 'content-type': 'image/png', 'content-length': BIG_IMAGE_BYTES }).end(Buffer.alloc(BIG_IMAGE_BYTES));
      case '/big-chunked.png':
        // No Content-Length: the cap must hold while reading, not only on the header.
        res.writeHead(200, { 'content-type': 'image/png' });
        for (let i = 0; i < 16; i++) res.write(Buffer.alloc(BIG_IMAGE_BYTES / 16));
        return res.end();
      case '/stall.png':
        return new Promise<void>((resolve) => res.on('close', resolve)); // never answers
      default:
        return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const server = await listenFake(handle, (res) => res.writeHead(500).end());
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    requests,
    redirect: (path, location, status = 302) => redirects.set(path, { location, status }),
    close: server.close,
  };
}
