// Regenerates the command sections of docs/reference/cli.md from the command definitions
// (`npm run docs:cli`); a test fails when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { cliReference } from '../dist/index.js';

const file = new URL('../docs/reference/cli.md', import.meta.url);
const marker = '<!-- generated: npm run docs:cli -->';
const text = readFileSync(file, 'utf8');
const head = text.includes(marker) ? text.slice(0, text.indexOf(marker)) : `${text.trimEnd()}\n\n## Every command\n\n`;
writeFileSync(file, `${head}${marker}\n\n${cliReference()}`);
