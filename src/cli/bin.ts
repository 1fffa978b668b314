#!/usr/bin/env node
import path from 'node:path';
import { processOutput } from './print.js';
import { runCli } from './program.js';

// Installed as `pld` and as Palladium's `pld-fit`, `pld-test`...: the name it was started by picks the command.
const bin = path.basename(process.argv[1] ?? 'pld').replace(/\.(c|m)?js$/, '');
process.exitCode = await runCli(process.argv.slice(2), processOutput(), bin);
