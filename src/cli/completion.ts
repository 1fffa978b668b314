import type { Command, Option } from 'commander';
import { PldError } from '../errors.js';

/** The shells `pld completion` writes scripts for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/**
 * A shell completion script for the whole command tree of `program`: subcommands (and aliases),
 * each command's flags plus the global ones, and file names after flags that take a value and for
 * positional arguments. Generated from the commander definitions, so it cannot miss a command.
 * @example
 * out.stdout(completionScript(program, 'bash'));
 */
export function completionScript(program: Command, shell: string): string {
  const tree = _tree(program, []);
  const globals = _options(program);
  if (shell === 'bash') return _bash(tree, globals);
  if (shell === 'zsh') return _zsh(tree, globals);
  if (shell === 'fish') return _fish(tree, globals);
  throw new PldError('PLD_ERR_CLI_USAGE', `pld completion supports ${COMPLETION_SHELLS.join(', ')}, got '${shell}'`, { details: { shell } });
}

interface _Flag {
  readonly names: string[];
  readonly long?: string;
  readonly short?: string;
  readonly takesValue: boolean;
  readonly description: string;
}

interface _Node {
  /** Canonical path, e.g. `admin activate`; '' for the program. */
  readonly path: string;
  readonly name: string;
  readonly aliases: string[];
  readonly description: string;
  readonly flags: _Flag[];
  readonly choices: string[];
  /** Takes a positional argument without fixed choices (a file, a version...). */
  readonly freeArgument: boolean;
  readonly children: _Node[];
}

const _HELP: _Flag = { names: ['-h', '--help'], long: '--help', short: '-h', takesValue: false, description: 'display help for command' };

function _tree(command: Command, parents: string[]): _Node {
  const path = parents.join(' ');
  const args = command.registeredArguments ?? [];
  const choices = args.flatMap((arg) => arg.argChoices ?? []);
  return {
    path,
    name: command.name(),
    aliases: command.aliases(),
    description: command.description(),
    flags: parents.length === 0 ? [_HELP] : [..._options(command), _HELP],
    choices,
    freeArgument: args.some((arg) => arg.argChoices === undefined),
    children: command.commands.filter((sub) => sub.name() !== 'help').map((sub) => _tree(sub, [...parents, sub.name()])),
  };
}

function _options(command: Command): _Flag[] {
  return command.options.map((option: Option) => ({
    names: [option.short, option.long].filter((name): name is string => name !== undefined),
    long: option.long,
    short: option.short,
    takesValue: option.required || option.optional,
    description: option.description,
  }));
}

function _all(node: _Node): _Node[] {
  return [node, ...node.children.flatMap(_all)];
}

// Case arms that move from a parent path to a child's: `"admin|activate") cmdpath="admin activate"`.
function _transitions(tree: _Node, arm: (match: string, target: string) => string): string[] {
  return _all(tree).flatMap((node) => node.children.flatMap((child) => [child.name, ...child.aliases].map((word) => arm(`${node.path}|${word}`, child.path))));
}

function _valueFlags(tree: _Node, globals: _Flag[]): string[] {
  const names = new Set<string>();
  for (const flag of [...globals, ..._all(tree).flatMap((node) => node.flags)]) if (flag.takesValue) for (const name of flag.names) names.add(name);
  return [...names];
}

function _words(node: _Node, globals: _Flag[]): string[] {
  return [...node.children.map((child) => child.name), ...node.choices, ...[...node.flags, ...globals].flatMap((flag) => flag.names)];
}

function _bash(tree: _Node, globals: _Flag[]): string {
  const lines = [
    '# bash completion for pld, generated from its command definitions by `pld completion bash`.',
    '# Load it with: source <(pld completion bash)   or save it in /etc/bash_completion.d/pld',
    '_pld_complete() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word i words',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    word="${COMP_WORDS[i]}"',
    '    case "${cmdpath}|${word}" in',
    ..._transitions(tree, (match, target) => `      "${match}") cmdpath="${target}" ;;`),
    '    esac',
    '  done',
    '  case "${prev}" in',
    `    ${_valueFlags(tree, globals).join('|')}) return 0 ;;`,
    '  esac',
    '  case "${cmdpath}" in',
    ..._all(tree).map((node) => `    "${node.path}") words="${_words(node, globals).join(' ')}" ;;`),
    '  esac',
    '  COMPREPLY=($(compgen -W "${words}" -- "${cur}"))',
    '}',
    'complete -o default -F _pld_complete pld',
  ];
  return `${lines.join('\n')}\n`;
}

function _zsh(tree: _Node, globals: _Flag[]): string {
  const item = (name: string, description: string) => _single(`${name.replaceAll(':', '\\:')}:${description}`);
  const lines = [
    '#compdef pld',
    '# zsh completion for pld, generated from its command definitions by `pld completion zsh`.',
    '# Save it as _pld in a folder on $fpath, or load it with: source <(pld completion zsh)',
    '_pld() {',
    '  local cmdpath="" word i',
    '  local -a items',
    '  for ((i = 2; i < CURRENT; i++)); do',
    '    word="${words[i]}"',
    '    case "${cmdpath}|${word}" in',
    ..._transitions(tree, (match, target) => `      "${match}") cmdpath="${target}" ;;`),
    '    esac',
    '  done',
    '  case "${words[CURRENT-1]}" in',
    `    ${_valueFlags(tree, globals).join('|')}) _files; return ;;`,
    '  esac',
    '  case "${cmdpath}" in',
    ..._all(tree).map((node) => {
      const items = [
        ...node.children.map((child) => item(child.name, child.description)),
        ...node.choices.map((choice) => item(choice, choice)),
        ...[...node.flags, ...globals].flatMap((flag) => flag.names.map((name) => item(name, flag.description))),
      ];
      return `    "${node.path}") items=(${items.join(' ')}) ;;`;
    }),
    '  esac',
    "  _describe -t pld 'pld' items && return",
    '  _files',
    '}',
    'if [[ "${zsh_eval_context[-1]}" == loadautoload ]]; then _pld "$@"; else compdef _pld pld; fi',
  ];
  return `${lines.join('\n')}\n`;
}

function _fish(tree: _Node, globals: _Flag[]): string {
  const flag = (condition: string, option: _Flag) =>
    [
      'complete -c pld',
      condition,
      option.short === undefined ? '' : `-s ${option.short.slice(1)}`,
      option.long === undefined ? '' : `-l ${option.long.slice(2)}`,
      option.takesValue ? '-r -F' : '',
      `-d ${_single(option.description)}`,
    ]
      .filter((part) => part !== '')
      .join(' ');
  const lines = [
    '# fish completion for pld, generated from its command definitions by `pld completion fish`.',
    '# Save it as ~/.config/fish/completions/pld.fish, or load it with: pld completion fish | source',
    'function __pld_at --description "the words so far name this pld command path"',
    '    set -l cmdpath ""',
    '    for word in (commandline -opc)[2..-1]',
    '        switch "$cmdpath|$word"',
    ..._transitions(tree, (match, target) => `            case ${_single(match)}\n                set cmdpath ${_single(target)}`),
    '        end',
    '    end',
    '    test "$cmdpath" = "$argv[1]"',
    'end',
    'complete -c pld -f',
    ...globals.map((option) => flag('', option)),
  ];
  for (const node of _all(tree)) {
    const condition = `-n ${_single(`__pld_at "${node.path}"`)}`;
    for (const child of node.children) lines.push(`complete -c pld ${condition} -a ${_single(child.name)} -d ${_single(child.description)}`);
    for (const choice of node.choices) lines.push(`complete -c pld ${condition} -a ${_single(choice)}`);
    if (node.freeArgument) lines.push(`complete -c pld ${condition} -F`);
    for (const option of node.flags) lines.push(flag(condition, option));
  }
  return `${lines.join('\n')}\n`;
}

// Single-quoted for sh-like shells and fish: a quote inside ends the string, adds \' and reopens it.
function _single(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
