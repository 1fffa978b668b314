import { k8s } from '../../commands/k8s.js';
import type { CliCommand } from '../define.js';
import { addFlags } from '../define.js';
import { deployContext } from '../deploy-context.js';
import { K8S_FLAGS } from '../options.js';
import { printJson, printK8s } from '../print.js';

/** `pld k8s`: Kubernetes manifests (ConfigMap, Deployment, Service, HPA, PDB) for this project. */
export const k8sCommand: CliCommand = (program, env) => {
  const command = program.command('k8s').description('print Kubernetes manifests: ConfigMap, Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget');
  const options = addFlags(command, K8S_FLAGS);
  command.action(async () => {
    const opts = options();
    await env.run(async () => {
      const result = k8s(await deployContext(program, env.out), { ...opts, dir: process.cwd() });
      if (opts.json) printJson(env.out, result.objects);
      else printK8s(env.out, result);
      return 0;
    }, opts.json === true);
  });
};
