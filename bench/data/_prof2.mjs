import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const rows = 200000;
const dir = mkdtempSync(join(tmpdir(), 'p-'));
const db = new Database(join(dir, 'b.db'));
const floats = Array.from({ length: 18 }, (_, i) => `f${i}`);
db.exec(`CREATE TABLE t (id INTEGER, ${floats.map((f) => `${f} REAL`).join(', ')}, label TEXT)`);
const insert = db.prepare(`INSERT INTO t VALUES (${Array(20).fill('?').join(', ')})`);
db.transaction(() => {
  for (let g = 1; g <= rows; g++) insert.run(g, ...floats.map((_, i) => Math.random() * (i + 1)), `class_${g % 3}`);
})();
for (let rep = 0; rep < 2; rep++) {
  let t = performance.now();
  let st = db.prepare('SELECT * FROM t');
  st.raw(true);
  let n = 0;
  for (const r of st.iterate()) n += r.length;
  console.log('iterate', performance.now() - t);
  t = performance.now();
  st = db.prepare('SELECT * FROM t');
  st.raw(true);
  const a = st.all();
  console.log('all', performance.now() - t);
  t = performance.now();
  st = db.prepare('SELECT f0 FROM t');
  st.pluck(true);
  const b = st.all();
  console.log('one column pluck', performance.now() - t);
}
