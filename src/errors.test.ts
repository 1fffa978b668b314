import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PldError, toPldError } from './errors.js';

describe('error table', () => {
  const doc = readFileSync(new URL('../docs/reference/errors.md', import.meta.url), 'utf8');

  it('documents every code with its number, status and exit code in docs/reference/errors.md', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `${code} is missing from docs/reference/errors.md`).toBeDefined();
      expect(row).toContain(`| ${info.number} | ${info.status} | ${info.exit} |`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `(PLD_ERR_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented.filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });

  it('gives every code its own error_code number, non-zero', () => {
    const numbers = Object.values(ERROR_CODES).map((info) => info.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).not.toContain(0);
  });

  it('wraps foreign errors as PLD_ERR_INTERNAL and keeps PldErrors', () => {
    const own = new PldError('PLD_ERR_PREDICT_BAD_INPUT', 'x');
    expect(toPldError(own)).toBe(own);
    expect(toPldError(new TypeError('boom'))).toMatchObject({ code: 'PLD_ERR_INTERNAL', message: 'TypeError: boom', status: 500 });
    expect(own.status).toBe(400);
    expect(own.exitCode).toBe(2);
  });
});
