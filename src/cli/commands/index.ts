import type { CliCommand } from '../define.js';
import { adminCommand } from './admin.js';
import { configCommand } from './config.js';
import { exportCommand } from './export.js';
import { fitCommand } from './fit.js';
import { initCommand } from './init.js';
import { gridSearchCommand } from './grid-search.js';
import { listCommand } from './list.js';
import { serveCommand } from './serve.js';
import { streamCommand } from './stream.js';
import { testCommand } from './test.js';
import { upgradeCommand } from './upgrade.js';
import { versionCommand } from './version.js';
import { dockerizeCommand } from './dockerize.js';
import { k8sCommand } from './k8s.js';
import { migrateConfigCommand } from './migrate-config.js';
import { completionCommand } from './completion.js';
import { workerCommand } from './worker.js';
import { replayCommand } from './replay.js';

/** Every CLI command, in `pld --help` order. A new command is one file in this folder and one line here. */
// biome-ignore format: one command per line keeps parallel additions from conflicting
export const CLI_COMMANDS: readonly CliCommand[] = [
  fitCommand,
  testCommand,
  gridSearchCommand,
  listCommand,
  adminCommand,
  serveCommand,
  streamCommand,
  replayCommand,
  configCommand,
  initCommand,
  migrateConfigCommand,
  exportCommand,
  upgradeCommand,
  versionCommand,
  dockerizeCommand,
  k8sCommand,
  completionCommand,
  workerCommand,
];
