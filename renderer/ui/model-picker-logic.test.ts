// The model picker's grouping, filtering and keys, without a browser.
import { describe, expect, it } from 'vitest';
import type { ModelChoice } from '../../shared/types';
import { afterTyping, displayName, flatten, groupChoices, matches, onKey, providerOf } from './model-picker-logic';

const models: ModelChoice[] = [
  { id: 'default', kind: 'route', label: 'default' },
  { id: 'openai/gpt-4o', kind: 'model', label: 'openai/gpt-4o' },
  { id: 'anthropic/claude-sonnet', kind: 'model', label: 'anthropic/claude-sonnet' },
  { id: 'fast', kind: 'route', label: 'fast' },
  { id: 'openai/gpt-4o-mini', kind: 'model', label: 'openai/gpt-4o-mini' },
];

const ids = (list: ModelChoice[]) => list.map((m) => m.id);

describe('model picker: grouping and filtering', () => {
  it('puts routes first, then one group per provider in the order they first appear', () => {
    const groups = groupChoices(models);
    expect(groups.map((g) => [g.label, ids(g.options)])).toEqual([
      ['Routes', ['default', 'fast']],
      ['openai', ['openai/gpt-4o', 'openai/gpt-4o-mini']],
      ['anthropic', ['anthropic/claude-sonnet']],
    ]);
    expect(ids(flatten(groups))).toEqual(['default', 'fast', 'openai/gpt-4o', 'openai/gpt-4o-mini', 'anthropic/claude-sonnet']);
  });

  it('keeps what matches every typed term, in any case, and drops empty groups', () => {
    expect(ids(flatten(groupChoices(models, 'MINI')))).toEqual(['openai/gpt-4o-mini']);
    expect(ids(flatten(groupChoices(models, 'openai mini')))).toEqual(['openai/gpt-4o-mini']);
    expect(groupChoices(models, 'claude').map((g) => g.label)).toEqual(['anthropic']);
    expect(groupChoices(models, 'nothing like this')).toEqual([]);
    expect(ids(flatten(groupChoices(models, '   ')))).toHaveLength(5);
  });

  it('matches the label too, and knows a provider from its id', () => {
    expect(matches({ id: 'x/y', kind: 'model', label: 'Friendly name' }, 'friendly')).toBe(true);
    expect(providerOf({ id: 'acme/org/model', kind: 'model', label: '' })).toBe('acme');
    expect(providerOf({ id: 'default', kind: 'route', label: 'default' })).toBe('');
  });

  it('shows a route by its name (its group says what it is) and a model by its label', () => {
    expect(displayName({ id: 'fast', kind: 'route', label: 'fast (route)' })).toBe('fast');
    expect(displayName({ id: 'x/y', kind: 'model', label: 'Friendly name' })).toBe('Friendly name');
  });
});

describe('model picker: keys', () => {
  const options = flatten(groupChoices(models));
  const closed = { open: false, active: -1 };

  it('opens on the current choice with the arrows, and leaves other keys to the text box while closed', () => {
    expect(onKey(closed, 'ArrowDown', options, 'openai/gpt-4o')).toEqual({ state: { open: true, active: 2 }, handled: true });
    expect(onKey(closed, 'ArrowDown', options, 'gone/model')).toEqual({ state: { open: true, active: 0 }, handled: true });
    expect(onKey(closed, 'ArrowUp', options, '')).toEqual({ state: { open: true, active: 4 }, handled: true });
    for (const key of ['Enter', 'Escape', 'Home', 'a']) expect(onKey(closed, key, options, 'default').handled).toBe(false);
  });

  it('moves with wrapping arrows and by pages, and picks with Enter', () => {
    let state = { open: true, active: 4 };
    state = onKey(state, 'ArrowDown', options, 'default').state;
    expect(state.active).toBe(0);
    state = onKey(state, 'ArrowUp', options, 'default').state;
    expect(state.active).toBe(4);
    expect(onKey({ open: true, active: 0 }, 'PageDown', options, '').state.active).toBe(4);
    expect(onKey({ open: true, active: 3 }, 'PageUp', options, '').state.active).toBe(0);
    expect(onKey({ open: true, active: 1 }, 'Enter', options, 'default')).toEqual({
      state: { open: false, active: -1 },
      pick: 'fast',
      handled: true,
    });
  });

  it('closes without a change on Escape, and on Tab lets focus move on', () => {
    expect(onKey({ open: true, active: 2 }, 'Escape', options, 'default')).toEqual({ state: { open: false, active: -1 }, handled: true });
    const tab = onKey({ open: true, active: 2 }, 'Tab', options, 'default');
    expect(tab).toEqual({ state: { open: false, active: -1 }, handled: false });
    expect(tab.pick).toBeUndefined();
  });

  it('does nothing harmful with no options: Enter picks nothing, arrows highlight nothing', () => {
    expect(onKey({ open: true, active: -1 }, 'Enter', [], '')).toEqual({ state: { open: true, active: -1 }, handled: true });
    expect(onKey({ open: true, active: -1 }, 'ArrowDown', [], '').state.active).toBe(-1);
    expect(onKey(closed, 'ArrowDown', [], '').state).toEqual({ open: true, active: -1 });
  });

  it('highlights the first match after typing, so Enter takes it', () => {
    const filtered = flatten(groupChoices(models, 'claude'));
    const state = afterTyping(filtered);
    expect(state).toEqual({ open: true, active: 0 });
    expect(onKey(state, 'Enter', filtered, 'default').pick).toBe('anthropic/claude-sonnet');
    expect(afterTyping([])).toEqual({ open: true, active: -1 });
  });
});
