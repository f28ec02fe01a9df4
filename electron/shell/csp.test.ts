// The built renderer's CSP <meta>: strict (no inline or eval'd script), build-only, and refusing
// a policy that would allow eval.
import { describe, expect, it } from 'vitest';
import { cspMetaPlugin, META_CSP } from './csp';

describe('renderer CSP meta plugin', () => {
  it('injects a strict policy into the built page only', () => {
    const plugin = cspMetaPlugin();
    expect(plugin.apply).toBe('build');
    const hook = plugin.transformIndexHtml as { handler: () => Array<{ tag: string; attrs: Record<string, string>; injectTo: string }> };
    const [tag] = hook.handler();
    expect(tag).toMatchObject({ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy' }, injectTo: 'head-prepend' });
    const policy = tag!.attrs.content!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/unsafe-eval|frame-ancestors/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toBe(META_CSP);
  });

  it('refuses a policy that allows eval', () => {
    expect(() => cspMetaPlugin("default-src 'self'; script-src 'self' 'unsafe-eval'")).toThrow(/unsafe-eval/);
  });
});
