import { spawnSync } from 'node:child_process';

/** Runs the docker CLI; the binary is `PLD_DOCKER` when set (another client such as podman), else `docker`. */
export interface DockerClient {
  /** True when `docker info` answers, i.e. an engine runs and this user may reach it. */
  engineAnswers(): boolean;
  /** Runs `docker <args>` in `cwd` with the build output on this process's stderr; resolves to its exit code. */
  run(args: readonly string[], cwd: string): number;
  readonly binary: string;
}

/** The docker client of this machine. */
export function systemDocker(env: NodeJS.ProcessEnv = process.env): DockerClient {
  const binary = env.PLD_DOCKER && env.PLD_DOCKER !== '' ? env.PLD_DOCKER : 'docker';
  return {
    binary,
    engineAnswers: () => {
      const result = spawnSync(binary, ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 15_000 });
      return result.error === undefined && result.status === 0;
    },
    run: (args, cwd) => {
      // docker's progress goes to stderr; stdout stays for pld's own result.
      const result = spawnSync(binary, [...args], { cwd, stdio: ['ignore', 2, 2] });
      return result.status ?? 1;
    },
  };
}

/** A command line quoted for a POSIX shell, for printing. */
export function shellLine(binary: string, args: readonly string[]): string {
  return [binary, ...args].map((arg) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}
