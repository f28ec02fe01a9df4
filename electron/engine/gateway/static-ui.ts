// Serves the built renderer at `/` in serve mode, with a strict Content Security Policy.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { safeDecode, setSecurityHeaders } from './security';
import { UI_CSP } from './ui-csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function serveStatic(rendererDir: string | undefined, pathname: string, res: ServerResponse): Promise<void> {
  if (!rendererDir) {
    setSecurityHeaders(res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('The UI is not built (run `npm run build`).');
    return;
  }
  const relative = pathname === '/' ? 'index.html' : safeDecode(pathname.slice(1));
  const file = relative === undefined || relative.includes('\0') ? undefined : normalize(join(rendererDir, relative));
  if (file === undefined || !file.startsWith(normalize(rendererDir) + sep)) {
    setSecurityHeaders(res);
    res.writeHead(file === undefined ? 400 : 403).end();
    return;
  }
  try {
    const content = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': UI_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': relative === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(content);
  } catch {
    setSecurityHeaders(res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
}
