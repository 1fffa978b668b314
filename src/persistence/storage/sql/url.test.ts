import { describe, expect, it } from 'vitest';
import { maskUrl, parseSqlUrl } from './url.js';

describe('parseSqlUrl', () => {
  it('reads SQLite spellings, relative paths against the config folder', () => {
    expect(parseSqlUrl('models.db', '/p')).toMatchObject({ dialect: 'sqlite', path: '/p/models.db' });
    expect(parseSqlUrl('sqlite:store/m.db', '/p')).toMatchObject({ dialect: 'sqlite', path: '/p/store/m.db', display: 'sqlite:/p/store/m.db' });
    expect(parseSqlUrl('sqlite:///rel.db', '/p')).toMatchObject({ path: '/p/rel.db' });
    expect(parseSqlUrl('sqlite:////abs/m.db', '/p')).toMatchObject({ path: '/abs/m.db' });
    expect(parseSqlUrl('sqlite::memory:', '/p')).toMatchObject({ path: ':memory:' });
  });

  it('reads PostgreSQL URLs and masks their password', () => {
    expect(parseSqlUrl('postgresql://u:pw@h:5432/db')).toEqual({ dialect: 'postgres', url: 'postgresql://u:pw@h:5432/db', display: 'postgresql://u:***@h:5432/db' });
    expect(maskUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });

  it('rejects other schemes, naming the URL without its password', () => {
    expect(() => parseSqlUrl('mysql://u:pw@h/db')).toThrow(/mysql:\/\/u:\*\*\*@h\/db/);
  });
});
