// Vite builds the renderer (renderer/ -> dist/renderer/) with relative asset URLs, so the same
// bundle loads from file:// in Electron and from `/` under `switchboard serve`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspMetaPlugin } from './electron/shell/csp.ts';

export default defineConfig({
  root: 'renderer',
  base: './',
  // The CSP <meta> goes into the built page only (the dev server's hot reload needs inline scripts).
  plugins: [react(), cspMetaPlugin()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // One local bundle (~640 kB: React, markdown, 22 highlight grammars, uPlot) loaded from disk or
    // loopback, never over a network: splitting it buys nothing here.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run serve` in one terminal, `SWITCHBOARD_URL=http://127.0.0.1:PORT npx vite` in another:
    // the dev UI talks to the real engine. Add `?token=...` from serve's output to the dev URL.
    proxy: process.env.SWITCHBOARD_URL ? { '/app': process.env.SWITCHBOARD_URL } : undefined,
  },
  // Tests are configured in vitest.config.ts.
});
