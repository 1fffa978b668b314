import { Argument } from 'commander';
import { COMPLETION_SHELLS, completionScript } from '../completion.js';
import type { CliCommand } from '../define.js';

/** `pld completion bash|zsh|fish`: a completion script generated from the command definitions. */
export const completionCommand: CliCommand = (program, env) => {
  program
    .command('completion')
    .description('print a shell completion script for pld (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .action(async (shell: string) => env.run(async () => (env.out.stdout(completionScript(program, shell)), 0), false));
};
