// Chat defaults: checked when set, merged over what is stored, and kept in settings.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAT_DEFAULTS, mergeChatDefaults } from './chat-defaults';
import { openSettings } from './settings-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('chat defaults', () => {
  it('merges a patch over the stored defaults and refuses bad values, naming them', () => {
    expect(mergeChatDefaults(undefined, { model: 'fast' })).toEqual({ ...CHAT_DEFAULTS, model: 'fast' });
    const stored = { model: 'fast', systemPrompt: 'Be brief.', temperature: 0.5, fontSize: 16 };
    expect(mergeChatDefaults(stored, { temperature: null })).toEqual({ ...stored, temperature: null });
    // Unknown fields are ignored, not stored.
    expect(mergeChatDefaults(stored, { extra: 1 } as never)).toEqual(stored);
    expect(() => mergeChatDefaults(stored, { temperature: 2.5 })).toThrow(/temperature/);
    expect(() => mergeChatDefaults(stored, { fontSize: 40 })).toThrow(/fontSize/);
    expect(() => mergeChatDefaults(stored, { model: '   ' })).toThrow(/model/);
  });

  it('are kept in settings.json and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-chat-defaults-'));
    dirs.push(dir);
    const settings = openSettings(dir);
    expect(settings.read().chat).toBeUndefined();
    settings.setChat({ model: 'acme/m1', fontSize: 18 });
    settings.close();
    const again = openSettings(dir);
    expect(again.read().chat).toEqual({ ...CHAT_DEFAULTS, model: 'acme/m1', fontSize: 18 });
    expect(() => again.setChat({ fontSize: 3 })).toThrow();
    expect(again.read().chat?.fontSize).toBe(18);
    again.close();
  });
});
