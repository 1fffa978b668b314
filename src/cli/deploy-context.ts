import type { Command } from 'commander';
import { createContext, type CommandContext } from '../commands/context.js';
import { createRegistry } from '../config/builtins.js';
import { loadConfig } from '../config/config.js';
import { placeholderEnv } from '../deploy/project.js';
import type { LogLevel } from '../logging.js';
import { cliLogger, type Output } from './print.js';

/**
 * The context of `pld dockerize` and `pld k8s`: the config loaded with its `${VAR}`s kept as
 * references, since the container resolves them and the machine writing the files need not know them.
 */
export async function deployContext(program: Command, out: Output): Promise<CommandContext> {
  const globals = program.opts<{ config?: string; logLevel: string }>();
  const level = globals.logLevel.toUpperCase();
  const config = await loadConfig({ config: globals.config, env: placeholderEnv(), registry: createRegistry() });
  return { ...createContext(config, cliLogger(out, (['DEBUG', 'INFO', 'WARNING', 'ERROR'].includes(level) ? level : 'INFO') as LogLevel)), via: 'cli' };
}
