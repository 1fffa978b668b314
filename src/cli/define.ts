import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../commands/context.js';
import type { FlagSpec } from './options.js';
import type { Output } from './print.js';

/** What a CLI command's registration gets: the output, a lazily loaded context and the runner. */
export interface CliEnv {
  readonly out: Output;
  /**
   * Loads the config (from `--config`/`PALLADIUM_CONFIG`) and builds the command context over the model
   * `--model` names (else the only one); `allModels` keeps the whole config when `--model` is not given
   * (`pld serve`, `pld config`).
   */
  context(options?: { readonly allModels?: boolean }): Promise<CommandContext>;
  /** Runs the command body; its resolved number is the exit code. `json` selects JSON error output. */
  run(action: () => Promise<number>, json: boolean): Promise<void>;
}

/** One CLI command: adds itself (and its flags) to the program. One file per command in `cli/commands/`. */
export type CliCommand = (program: Command, env: CliEnv) => void;

/**
 * Adds flags declared as data to a command and returns a reader of the typed options, keyed by each
 * flag's declared option name (`--no-save` → `persist`).
 * @example
 * const read = addFlags(command, FIT_FLAGS); command.action(() => fit(ctx, read()));
 */
export function addFlags<O>(command: Command, flags: readonly FlagSpec<O>[]): () => Partial<O> & { json?: boolean } {
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
  return () => {
    const parsed = command.opts();
    const out: Record<string, unknown> = {};
    for (const flag of flags) {
      const value = parsed[new Option(flag.flags).attributeName()];
      if (value !== undefined) out[flag.option as string] = value;
    }
    return out as Partial<O> & { json?: boolean };
  };
}
