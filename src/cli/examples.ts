import type { Command } from 'commander';

/**
 * Examples shown under `Examples:` in each command's `--help` and in docs/reference/cli.md, keyed by
 * the command path (`admin activate`). Kept as data so a test can require one for every command.
 */
export const COMMAND_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': ['pld init iris && cd iris', 'pld fit --evaluate', 'pld serve --port 8080'],
  fit: [
    'pld fit --evaluate',
    'pld fit --save-if-better-than 0.9   # store only a model that scores at least 0.9',
    'pld fit --no-save --json',
    'pld fit --model fraud   # the entry "fraud" of the config\'s models section',
  ],
  test: ['pld test', 'pld test --model-version 3 --json', 'pld test --report report.html --png', 'pld test --model fraud --model-version 2'],
  'grid-search': [
    'pld grid-search',
    'pld grid-search --save-results cv.csv --persist-best',
    'pld grid-search --report search.html --png',
    'pld grid-search --backend redis://127.0.0.1:6379   # fits run on `pld worker` processes',
  ],
  list: ['pld list', 'pld list --json | jq \'.properties["active-model"]\'', 'pld list --model churn'],
  admin: ['pld admin activate 3', 'pld admin rollback'],
  'admin activate': ['pld admin activate 3', 'pld admin activate 3 --json', 'pld admin activate 2 --model fraud'],
  'admin delete': ['pld admin delete 2', 'pld admin delete 3 --force   # even the active version'],
  'admin rollback': ['pld admin rollback', 'pld admin rollback --json'],
  'admin traffic': ['pld admin traffic show', 'pld admin traffic set canary --challenger 3 --weight 0.1', 'pld admin traffic clear'],
  'admin traffic show': ['pld admin traffic show', 'pld admin traffic show --json'],
  'admin traffic set': [
    'pld admin traffic set canary --challenger 3 --weight 0.1',
    'pld admin traffic set sticky --challenger 3 --weight 0.5 --key-header x-user-id',
    'pld admin traffic set shadow --challenger 3',
    'pld admin traffic set none',
  ],
  'admin traffic clear': ["pld admin traffic clear   # back to the config's traffic, or none", 'pld admin traffic clear --model fraud'],
  serve: [
    'pld serve',
    'pld serve --model fraud   # only that model of several',
    'pld serve --port 8080 --log-requests',
    'pld serve --workers auto --log-format json',
    'PALLADIUM_CONFIG=prod.json pld serve --host 127.0.0.1',
  ],
  worker: ['pld worker --backend redis://127.0.0.1:6379', 'pld worker --backend redis://redis.internal:6379 --config prod.json   # on any machine with the same data'],
  stream: ['echo \'{"sepal length": 5.2, "sepal width": 3.5, "petal length": 1.5, "petal width": 0.2}\' | pld stream', 'pld stream --service predict_service_v2 < requests.jsonl'],
  replay: [
    'pld replay predictions.jsonl --version 3              # logged requests against version 3, here',
    'pld replay sqlite:predictions.db --limit 1000 --json   # from an SqlSink table',
    "pld replay --fail-on-diff --tolerance 1e-6             # the config's prediction_log against the active version",
    'pld replay predictions.jsonl --url http://127.0.0.1:5000',
  ],
  config: ['pld config --validate', 'pld config --print --config base.json,prod.yaml', 'pld config --schema > palladium-config.schema.json'],
  init: ['pld init                 # ./iris', 'pld init regression my-service', 'pld init custom-estimator .', 'pld init onnx   # serve a model.onnx'],
  'migrate-config': [
    'pld migrate-config config.py --out palladium-config.json',
    'pld migrate-config etc/config.py -o palladium-config.ts',
    'pld migrate-config config.py --json | jq .unsupported',
  ],
  export: ['pld export', 'pld export --version 3 --no-activate --json', 'pld export --onnx model.onnx   # any ONNX runtime serves it'],
  upgrade: ['pld upgrade', 'pld upgrade --from 0.9 --json'],
  version: ['pld version', 'pld version --json'],
  dockerize: ['pld dockerize --dry-run        # print the files', "pld dockerize --fit -t iris:1  # fit at build time, like Palladium's predict image"],
  k8s: ['pld k8s --image registry.example.com/iris:1.0 | kubectl apply -f -', 'pld k8s --replicas 3 -o k8s.yaml'],
  completion: ['pld completion bash > /etc/bash_completion.d/pld', 'pld completion zsh > "${fpath[1]}/_pld"', 'pld completion fish > ~/.config/fish/completions/pld.fish'],
};

/** The command path of a commander command, without the program name: `admin activate`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** The `Examples:` block of a command, or '' when it has none. */
export function examplesText(command: Command): string {
  const examples = COMMAND_EXAMPLES[commandPath(command)];
  return examples === undefined ? '' : `\nExamples:\n${examples.map((line) => `  ${line}`).join('\n')}\n`;
}

/** Adds each command's examples to its `--help`, for the whole tree. */
export function addExamples(command: Command): void {
  const text = examplesText(command);
  if (text !== '') command.addHelpText('after', text);
  for (const sub of command.commands) addExamples(sub);
}
