import { describe, expect, it } from 'vitest';
import { createSenderCheck, trustedUrlMatcher } from './sender-check';
import type { IpcInvokeEvent } from './types';

function eventFrom(id: number, url: string | null): IpcInvokeEvent {
  return {
    sender: { id, send: () => {}, isDestroyed: () => false },
    senderFrame: url === null ? null : { url },
  };
}

describe('createSenderCheck', () => {
  const check = createSenderCheck({
    rendererFile: '/opt/Switchboard/dist/renderer/index.html',
    webContentsId: () => 3,
    platform: 'linux',
  });

  it('accepts our index.html in our window, with any query or hash', () => {
    expect(check(eventFrom(3, 'file:///opt/Switchboard/dist/renderer/index.html'))).toBe(true);
    expect(check(eventFrom(3, 'file:///opt/Switchboard/dist/renderer/index.html?x=1#/spend'))).toBe(true);
  });

  it('refuses another webContents, a missing frame, and other pages', () => {
    expect(check(eventFrom(4, 'file:///opt/Switchboard/dist/renderer/index.html'))).toBe(false);
    expect(check(eventFrom(3, null))).toBe(false);
    expect(check(eventFrom(3, 'file:///opt/Switchboard/dist/renderer/other.html'))).toBe(false);
    expect(check(eventFrom(3, 'file:///tmp/index.html'))).toBe(false);
    expect(check(eventFrom(3, 'file://evil.example/opt/Switchboard/dist/renderer/index.html'))).toBe(false);
    expect(check(eventFrom(3, 'https://example.com/'))).toBe(false);
    expect(check(eventFrom(3, 'about:blank'))).toBe(false);
    expect(check(eventFrom(3, 'not a url'))).toBe(false);
  });

  it('refuses everything while there is no window', () => {
    const noWindow = createSenderCheck({ rendererFile: '/a/index.html', webContentsId: () => undefined });
    expect(noWindow(eventFrom(1, 'file:///a/index.html'))).toBe(false);
  });
});

describe('trustedUrlMatcher', () => {
  it('trusts the dev server by origin only when configured', () => {
    const dev = trustedUrlMatcher({ devServerUrl: 'http://localhost:5173/' });
    expect(dev('http://localhost:5173/#/chat')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
    expect(dev('file:///a/index.html')).toBe(false);
    expect(trustedUrlMatcher({})('http://localhost:5173/')).toBe(false);
  });

  it('compares Windows paths case-insensitively and decodes the URL', () => {
    const win = trustedUrlMatcher({ rendererFile: 'C:\\Program Files\\Switchboard\\index.html', platform: 'win32' });
    expect(win('file:///c:/program%20files/switchboard/index.html')).toBe(true);
    expect(win('file:///C:/Program%20Files/Other/index.html')).toBe(false);
  });

  it('decodes percent-encoded POSIX paths', () => {
    const posix = trustedUrlMatcher({ rendererFile: '/home/a b/index.html', platform: 'linux' });
    expect(posix('file:///home/a%20b/index.html')).toBe(true);
  });
});
