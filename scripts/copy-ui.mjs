// Copies the dashboard's static files (src/server/ui/assets) next to the compiled server, where
// `src/server/routes/ui.ts` reads them; tsc copies only what it compiles.
import { cpSync } from 'node:fs';
import path from 'node:path';

const from = new URL('../src/server/ui/assets/', import.meta.url);
const to = new URL('../dist/server/ui/assets/', import.meta.url);
cpSync(from, to, {
  recursive: true,
  // Type declarations and tests are for the repository, not the browser.
  filter: (source) => !/\.(d\.ts|test\.ts)$/.test(path.basename(source)),
});
