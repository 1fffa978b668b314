// `npm run example`: fit the bundled iris example with evaluation, test it, and serve it on port 5000.
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const pld = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const cwd = fileURLToPath(new URL('../examples/iris/', import.meta.url));
const env = { ...process.env, PALLADIUM_CONFIG: process.env.PALLADIUM_CONFIG ?? 'config.json' };

for (const args of [['fit', '--evaluate'], ['test']]) {
  console.error(`\n$ pld ${args.join(' ')}`);
  const { status } = spawnSync(process.execPath, [pld, ...args], { cwd, env, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
const port = process.env.PORT ?? '5000';
console.error(`\n$ pld serve --port ${port}`);
const server = spawn(process.execPath, [pld, 'serve', '--port', port], { cwd, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
