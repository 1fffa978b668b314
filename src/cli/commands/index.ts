import type { CliCommand } from '../define.js';
import { adminCommand } from './admin.js';
import { fitCommand } from './fit.js';
import { listCommand } from './list.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';
import { upgradeCommand } from './upgrade.js';
import { versionCommand } from './version.js';

/** Every CLI command, in `pld --help` order. A new command is one file in this folder and one line here. */
export const CLI_COMMANDS: readonly CliCommand[] = [fitCommand, testCommand, listCommand, adminCommand, serveCommand, versionCommand, upgradeCommand];
