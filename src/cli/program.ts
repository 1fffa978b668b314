import { Command, CommanderError } from 'commander';
import { createContext, type CommandContext } from '../commands/context.js';
import { createRegistry } from '../config/builtins.js';
import { loadConfig } from '../config/config.js';
import { selectModel } from '../config/models.js';
import { ERROR_CODES, EXIT_CODES, PldError } from '../errors.js';
import type { LogLevel } from '../logging.js';
import { PACKAGE_VERSION } from '../version.js';
import { CLI_COMMANDS } from './commands/index.js';
import type { CliEnv } from './define.js';
import { addExamples, examplesText } from './examples.js';
import { GLOBAL_FLAGS } from './options.js';
import { cliLogger, printError, type Output } from './print.js';

/** Palladium's command names, mapped to the `pld` subcommand they run. */
export const PALLADIUM_BINS: Readonly<Record<string, string>> = {
  'pld-fit': 'fit',
  'pld-test': 'test',
  'pld-grid-search': 'grid-search',
  'pld-list': 'list',
  'pld-admin': 'admin',
  'pld-devserver': 'devserver',
  'pld-stream': 'stream',
  'pld-version': 'version',
  'pld-export': 'export',
  'pld-upgrade': 'upgrade',
  'pld-dockerize': 'dockerize',
};

/**
 * Runs the CLI on `argv` (without node and script), writing to `out`; resolves to the exit code.
 * `pld serve` resolves only after SIGINT/SIGTERM closed the server.
 * @example
 * process.exitCode = await runCli(['fit', '--evaluate'], processOutput());
 */
export async function runCli(argv: readonly string[], out: Output, bin = 'pld'): Promise<number> {
  const alias = PALLADIUM_BINS[bin];
  const args = alias === undefined ? [...argv] : [alias, ...argv];
  let exitCode = 0;
  let json = false;
  const program = _program(out, async (action, wantsJson) => {
    json = wantsJson;
    exitCode = await action();
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return printError(out, new PldError('PLD_ERR_CLI_USAGE', error.message.replace(/^error: /, '')), false);
    }
    return printError(out, error, json);
  }
}

function _program(out: Output, run: CliEnv['run']): Command {
  const program = new Command('pld')
    .description('Palladium-TS: fit, test and serve predictive models from a config file')
    .version(PACKAGE_VERSION, '-V, --version-flag', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showHelpAfterError('(run pld --help for usage)');
  for (const flag of GLOBAL_FLAGS) program.option(flag.flags, flag.description, 'defaultValue' in flag ? flag.defaultValue : undefined);

  const context = async (options: { readonly allModels?: boolean } = {}): Promise<CommandContext> => {
    const globals = program.opts<{ config?: string; logLevel: string; model?: string }>();
    const level = globals.logLevel.toUpperCase();
    if (!['DEBUG', 'INFO', 'WARNING', 'ERROR'].includes(level))
      throw new PldError('PLD_ERR_CLI_USAGE', `--log-level must be DEBUG, INFO, WARNING or ERROR, got '${globals.logLevel}'`);
    const loaded = await loadConfig({ config: globals.config, registry: createRegistry() });
    const config = options.allModels && globals.model === undefined ? loaded : selectModel(loaded, globals.model);
    return { ...createContext(config, cliLogger(out, level as LogLevel)), via: 'cli' };
  };

  const env: CliEnv = { out, context, run };
  for (const register of CLI_COMMANDS) register(program, env);
  addExamples(program);
  return program;
}

/**
 * The help text of `pld` and of every command and subcommand, as Markdown sections: the source of
 * `docs/reference/cli.md`, so the reference cannot drift from the command definitions.
 * @example
 * writeFileSync('docs/reference/cli-commands.md', cliReference());
 */
export function cliReference(): string {
  const silent: Output = { stdout: () => {}, stderr: () => {}, color: false };
  const program = _program(silent, async () => {});
  const sections: string[] = [];
  const visit = (command: Command, path: string) => {
    command.configureHelp({ helpWidth: 100 });
    sections.push(`### \`${path}\`\n\n\`\`\`\n${`${command.helpInformation()}${examplesText(command)}`.trimEnd()}\n\`\`\`\n`);
    for (const sub of command.commands) if (sub.name() !== 'help') visit(sub, `${path} ${sub.name()}`);
  };
  visit(program, 'pld');
  return `${sections.join('\n')}\n${exitCodeReference()}`;
}

/** The exit codes of `pld` and, for each, the error codes that end with it (from the one error table). */
export function exitCodeReference(): string {
  const rows = Object.entries(EXIT_CODES).map(([exit, meaning]) => {
    const codes = Object.entries(ERROR_CODES)
      .filter(([, info]) => info.exit === Number(exit))
      .map(([code]) => `\`${code}\``);
    return `| ${exit} | ${meaning} | ${codes.length === 0 ? '' : codes.join(', ')} |`;
  });
  return `## Exit codes\n\n| Exit | Meaning | Error codes |\n|---|---|---|\n${rows.join('\n')}\n`;
}
