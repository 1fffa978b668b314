import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/config.js';
import { createRegistry } from '../config/builtins.js';
import { activate, remove } from '../commands/admin.js';
import { createContext, type CommandContext } from '../commands/context.js';
import { fit } from '../commands/fit.js';
import { list } from '../commands/list.js';
import { serve } from '../commands/serve.js';
import { test } from '../commands/test.js';
import { PldError } from '../errors.js';
import type { LogLevel } from '../logging.js';
import { parseVersion } from '../persistence/version.js';
import { PACKAGE_VERSION } from '../version.js';
import { FIT_FLAGS, GLOBAL_FLAGS, LIST_FLAGS, SERVE_FLAGS, TEST_FLAGS, type FlagSpec } from './options.js';
import { cliLogger, printError, printFit, printJson, printList, printTest, type Output } from './print.js';

/** Palladium's command names, mapped to the `pld` subcommand they run. */
export const PALLADIUM_BINS: Readonly<Record<string, string>> = {
  'pld-fit': 'fit',
  'pld-test': 'test',
  'pld-list': 'list',
  'pld-admin': 'admin',
  'pld-devserver': 'devserver',
  'pld-version': 'version',
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

type _Run = (action: () => Promise<number>, json: boolean) => Promise<void>;

function _program(out: Output, run: _Run): Command {
  const program = new Command('pld')
    .description('Palladium-TS: fit, test and serve predictive models from a config file')
    .version(PACKAGE_VERSION, '-V, --version-flag', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showHelpAfterError('(run pld --help for usage)');
  for (const flag of GLOBAL_FLAGS) program.option(flag.flags, flag.description, 'defaultValue' in flag ? flag.defaultValue : undefined);

  const context = async (): Promise<CommandContext> => {
    const globals = program.opts<{ config?: string; logLevel: string }>();
    const level = globals.logLevel.toUpperCase();
    if (!['DEBUG', 'INFO', 'WARNING', 'ERROR'].includes(level))
      throw new PldError('PLD_ERR_CLI_USAGE', `--log-level must be DEBUG, INFO, WARNING or ERROR, got '${globals.logLevel}'`);
    const config = await loadConfig({ config: globals.config, registry: createRegistry() });
    return createContext(config, cliLogger(out, level as LogLevel));
  };

  const fitCommand = _withFlags(program.command('fit').description('fit the model on dataset_loader_train and store it as a new, active version'), FIT_FLAGS);
  fitCommand.action(async () => {
    const options = _optionsOf(fitCommand, FIT_FLAGS);
    await run(async () => {
      const result = await fit(await context(), options);
      if (options.json) printJson(out, result);
      else printFit(out, result);
      return 0;
    }, options.json === true);
  });

  const testCommand = _withFlags(program.command('test').description('score a stored model on dataset_loader_test'), TEST_FLAGS);
  testCommand.action(async () => {
    const options = _optionsOf(testCommand, TEST_FLAGS);
    await run(async () => {
      const modelVersion = options.modelVersion === undefined ? undefined : parseVersion(options.modelVersion, '--model-version');
      const result = await test(await context(), { modelVersion });
      if (options.json) printJson(out, result);
      else printTest(out, result);
      return 0;
    }, options.json === true);
  });

  const listCommand = _withFlags(program.command('list').description('list stored model versions and store properties'), LIST_FLAGS);
  listCommand.action(async () => {
    const options = _optionsOf(listCommand, LIST_FLAGS);
    await run(async () => {
      const result = await list(await context());
      if (options.json) printJson(out, result);
      else printList(out, result);
      return 0;
    }, options.json === true);
  });

  const admin = program.command('admin').description('activate or delete stored versions');
  admin
    .command('activate <version>')
    .description('make <version> the active model')
    .action(async (version: string) => run(async () => (await activate(await context(), parseVersion(version)), 0), false));
  admin
    .command('delete <version>')
    .description('delete a stored version (not the active one)')
    .action(async (version: string) => run(async () => (await remove(await context(), parseVersion(version)), 0), false));

  const serveCommand = _withFlags(program.command('serve').alias('devserver').description('serve /predict, /alive and /list over HTTP'), SERVE_FLAGS);
  serveCommand.action(async () => {
    const options = _optionsOf(serveCommand, SERVE_FLAGS);
    await run(async () => {
      const ctx = await context();
      const server = await serve(ctx, options);
      const service = server.services[0];
      ctx.log.info(`Serving on ${server.url}`);
      if (service) out.stderr(`Try: curl '${server.url}${service.entryPoint}?${_exampleQuery(service.options.mapping)}'\n`);
      await _untilSignal();
      await server.close();
      return 0;
    }, false);
  });

  program
    .command('version')
    .description('print the version')
    .action(async () => run(async () => (out.stdout(`${PACKAGE_VERSION}\n`), 0), false));
  return program;
}

/** The command's parsed options, keyed by each flag's declared option name (e.g. `--no-save` → `persist`). */
function _optionsOf<O>(command: Command, flags: readonly FlagSpec<O>[]): Partial<O> & { json?: boolean } {
  const parsed = command.opts();
  const out: Record<string, unknown> = {};
  for (const flag of flags) {
    const value = parsed[new Option(flag.flags).attributeName()];
    if (value !== undefined) out[flag.option as string] = value;
  }
  return out as Partial<O> & { json?: boolean };
}

function _withFlags<O>(command: Command, flags: readonly FlagSpec<O>[]): Command {
  for (const flag of flags) {
    const option = new Option(flag.flags, flag.description);
    if (flag.parse) {
      const parse = flag.parse;
      option.argParser((value: string) => {
        try {
          return parse(value);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      });
    }
    if (flag.defaultValue !== undefined) option.default(flag.defaultValue);
    command.addOption(option);
  }
  return command;
}

function _exampleQuery(mapping: readonly (readonly [string, string])[]): string {
  return mapping.map(([name, type]) => `${encodeURIComponent(name)}=${type === 'str' ? 'x' : type === 'bool' ? 'true' : '1'}`).join('&');
}

function _untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
