// The README's "Setting up each tool" section is written from the setup guides: this keeps the two
// in step (every step and snippet of every guide, filled with the README's example values).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETUP_GUIDES } from './setup-guides';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A guide text as the README shows it: port 127.0.0.1:4848, route `default`, the token as `$SWITCHBOARD_TOKEN` or `sbt_YOUR_TOKEN`. */
function asInReadme(text: string): RegExp {
  const parts = text.split(/(\{\{baseUrl\}\}|\{\{model\}\}|\{\{token\}\})/);
  const values: Record<string, string> = {
    '{{baseUrl}}': escape('http://127.0.0.1:4848'),
    '{{model}}': 'default',
    '{{token}}': '(?:\\$SWITCHBOARD_TOKEN|sbt_YOUR_TOKEN)',
  };
  return new RegExp(parts.map((p) => values[p] ?? escape(p)).join(''));
}

describe('setup guides in the README', () => {
  for (const guide of SETUP_GUIDES) {
    it(`shows ${guide.name} as the app does`, () => {
      expect(readme).toContain(`**${guide.name}**`);
      for (const step of guide.steps) expect(readme, step).toMatch(asInReadme(step));
      for (const snippet of guide.snippets) expect(readme, snippet.label).toMatch(asInReadme(snippet.text.trimEnd()));
    });
  }
});
