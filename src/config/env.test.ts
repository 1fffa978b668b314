import { describe, expect, it } from 'vitest';
import { substituteEnv } from './env.js';

describe('substituteEnv', () => {
  it('replaces ${VAR} and ${VAR:-default} in nested strings and leaves other values alone', () => {
    const out = substituteEnv({ a: '${HOST}:${PORT:-5432}', b: [1, '${HOST}'], c: true, d: 'plain' }, { HOST: 'db' }, 'c.json');
    expect(out).toEqual({ a: 'db:5432', b: [1, 'db'], c: true, d: 'plain' });
  });

  it('treats an empty variable as unset and $$ as a literal dollar', () => {
    expect(substituteEnv('${X:-fallback} costs $$5', { X: '' }, 'c.json')).toBe('fallback costs $5');
  });

  it('keeps balanced braces in a default, so a persister path template can be the fallback', () => {
    expect(substituteEnv('${P:-model-{version}}', {}, 'c.json')).toBe('model-{version}');
    expect(substituteEnv('${P:-model-{version}}', { P: '/srv/m-{version}' }, 'c.json')).toBe('/srv/m-{version}');
    expect(substituteEnv('${P:-a{b}', {}, 'c.json')).toBe('a{b');
  });

  it('names the file, key path and variable when a variable is unset without default', () => {
    expect(() => substituteEnv({ store: { url: '${DB_URL}' } }, {}, '/app/config.json')).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_ENV_VAR', message: expect.stringMatching(/\/app\/config\.json: store\.url: environment variable DB_URL is not set/) }),
    );
  });
});
