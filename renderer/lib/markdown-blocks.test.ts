import { describe, expect, it } from 'vitest';
import { splitBlocks } from './markdown-blocks';

describe('splitBlocks', () => {
  it('splits paragraphs at blank lines', () => {
    expect(splitBlocks('one\ntwo\n\nthree\n\n\nfour')).toEqual(['one\ntwo\n', 'three\n', 'four']);
  });

  it('keeps blank lines inside a code fence', () => {
    const text = 'intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nafter';
    expect(splitBlocks(text)).toEqual(['intro\n', '```ts\nconst a = 1;\n\nconst b = 2;\n```\n', 'after']);
  });

  it('loses no text while streaming', () => {
    const text = '# Title\n\nSome *text*\n\n- a\n- b\n\n```\nx\n\n';
    expect(splitBlocks(text).join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
  });
});
