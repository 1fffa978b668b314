import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';

describe('the configured scoring drives pld fit and pld test', () => {
  it('--save-if-better-than compares with the first configured scorer; pld test --json lists them all', () => {
    const dir = copyExample();
    // neg_log_loss first: a tree's 0/1 probabilities give a large negative value while accuracy is ~0.9,
    // so the bar 0 keeps the model out only if the first configured scorer is the one compared.
    writeFileSync(path.join(dir, 'scoring.json'), JSON.stringify({ scoring: { ll: 'neg_log_loss', acc: 'accuracy', auc: 'roc_auc_ovr' } }));
    const config = 'config.json,scoring.json';
    const refused = pld(dir, ['fit', '--config', config, '--save-if-better-than', '0']);
    expect(refused.status, refused.stderr).toBe(0);
    expect(refused.stderr).toMatch(/Not persisting model that has a test score -\d+(\.\d+)? < 0/);
    expect(existsSync(path.join(dir, 'iris-model-metadata.json'))).toBe(false);

    const kept = pld(dir, ['fit', '--config', config, '--save-if-better-than', '-1000', '--json']);
    expect(kept.status, kept.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'iris-model-metadata.json'))).toBe(true);

    const tested = pld(dir, ['test', '--config', config, '--json']);
    expect(tested.status, tested.stderr).toBe(0);
    const { scores } = JSON.parse(tested.stdout) as { scores: { name: string; value: number }[] };
    expect(scores.map((score) => score.name)).toEqual(['ll', 'acc', 'auc']);
    expect(scores[0].value).toBeLessThan(0);
    expect(scores[1].value).toBeGreaterThan(0.5);
    expect(scores[2].value).toBeGreaterThan(0.5);
    expect(scores[2].value).toBeLessThanOrEqual(1);
  });
});
