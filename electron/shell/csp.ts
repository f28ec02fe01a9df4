// The desktop window's Content Security Policy: the same policy `serve` sends as a header, as a
// <meta> tag in the built index.html (a file:// page gets no headers). Build only: Vite's dev server
// needs inline scripts for hot reload, so the dev page runs without it.
import type { Plugin } from 'vite';
import { UI_CSP } from '../engine/gateway/ui-csp.ts';

/** frame-ancestors is ignored (with a console warning) in a <meta> policy; the shell denies framing anyway. */
export const META_CSP = UI_CSP.split(';')
  .map((d) => d.trim())
  .filter((d) => d && !d.startsWith('frame-ancestors'))
  .join('; ');

export function cspMetaPlugin(policy: string = META_CSP): Plugin {
  if (/unsafe-eval/.test(policy)) throw new Error('the renderer CSP must not allow unsafe-eval');
  return {
    name: 'switchboard-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
    },
  };
}
