// Decides which IPC senders are ours: the main window's webContents showing our built index.html
// (or the configured dev server). Any other page that ends up in a webContents gets nothing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcInvokeEvent, SenderCheck } from './types';

export interface TrustedRenderer {
  /** Absolute path of the built renderer's index.html (loaded with loadFile). */
  rendererFile?: string;
  /** Dev server URL (e.g. Vite's), trusted by origin; only set in development. */
  devServerUrl?: string;
  /** The main window's webContents id, or undefined while there is no window. */
  webContentsId(): number | undefined;
  /** Defaults to process.platform; Windows paths compare case-insensitively. */
  platform?: NodeJS.Platform;
}

export function createSenderCheck(trusted: TrustedRenderer): SenderCheck {
  const isTrustedUrl = trustedUrlMatcher(trusted);
  return (event: IpcInvokeEvent): boolean => {
    const id = trusted.webContentsId();
    if (id === undefined || event.sender.id !== id) return false;
    const frame = event.senderFrame;
    return frame !== null && isTrustedUrl(frame.url);
  };
}

/** True when `url` is our renderer's page: the exact index.html file, or the dev server's origin. */
export function trustedUrlMatcher(trusted: Omit<TrustedRenderer, 'webContentsId'>): (url: string) => boolean {
  const win = (trusted.platform ?? process.platform) === 'win32';
  const pathApi = win ? path.win32 : path.posix;
  const normalize = (p: string): string => {
    const resolved = pathApi.resolve(p);
    return win ? resolved.toLowerCase() : resolved;
  };
  const file = trusted.rendererFile ? normalize(trusted.rendererFile) : undefined;
  const devOrigin = trusted.devServerUrl ? safeUrl(trusted.devServerUrl)?.origin : undefined;

  return (raw: string): boolean => {
    const url = safeUrl(raw);
    if (!url) return false;
    if (url.protocol === 'file:') {
      if (!file || url.host !== '') return false;
      // Query and hash are the page's own business (client-side routing); the file must match.
      url.search = '';
      url.hash = '';
      try {
        return normalize(fileURLToPath(url, { windows: win })) === file;
      } catch {
        return false;
      }
    }
    const web = url.protocol === 'http:' || url.protocol === 'https:';
    return web && devOrigin !== undefined && devOrigin !== 'null' && url.origin === devOrigin;
  };
}

function safeUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
