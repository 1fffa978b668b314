import { dockerize } from '../../commands/dockerize.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { deployContext } from '../deploy-context.js';
import { DOCKERIZE_FLAGS } from '../options.js';
import { printDockerize, printJson } from '../print.js';

/** `pld dockerize` (Palladium's `pld-dockerize`): a Dockerfile and .dockerignore for this project, built when a Docker engine answers. */
export const dockerizeCommand: CliCommand = (program, env) => {
  const command = program.command('dockerize').description('write a Dockerfile and .dockerignore for this project; build the image when a Docker engine answers');
  const options = addFlags(command, DOCKERIZE_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const result = dockerize(await deployContext(program, env.out), { ...opts, dir: process.cwd() });
      if (opts.json) printJson(env.out, result);
      else printDockerize(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
