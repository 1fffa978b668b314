import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../../dist/index.js';

describe('docs/reference/cli.md', () => {
  it('holds the help of every command as the built CLI defines it (npm run docs:cli regenerates it)', () => {
    const doc = readFileSync(new URL('../../docs/reference/cli.md', import.meta.url), 'utf8');
    const generated = doc.slice(doc.indexOf('<!-- generated: npm run docs:cli -->'));
    expect(generated).toBe(`<!-- generated: npm run docs:cli -->\n\n${cliReference()}`);
  });
});
