import { runPythonOn } from '../python.js';

/** Marks where `here` was used; a string no real path starts with. */
export const HERE_MARKER = '/__pld_migrate_here__';
/** `environ['X']` becomes `\u0001X\u0002`, `environ.get('X', 'd')` becomes `\u0001X\u0004d\u0002`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot occur in a config value, so they delimit markers safely
export const ENV_MARKER = /\u0001([^\u0001\u0002\u0004]*)(?:\u0004([^\u0001\u0002]*))?\u0002/g;

/** Something python noticed while evaluating: a tuple that became a list, an `environ` default that changed type... */
export interface PythonNote {
  readonly kind: 'tuple' | 'env-default-type' | 'env-default-none';
  readonly path: string;
  readonly detail: string;
}

/** A part of the config that cannot become data: non-literal Python, a failing expression, a NaN. */
export interface PythonUnsupported {
  readonly path: string;
  readonly reason: string;
  /** The Python source of the entry, when it is an expression in the file. */
  readonly source?: string;
}

/** A config.py evaluated with `environ` and `here` kept as markers. */
export interface SymbolicConfig {
  readonly value: unknown;
  readonly notes: PythonNote[];
  readonly unsupported: PythonUnsupported[];
}

/**
 * Evaluates a Palladium `config.py` symbolically: `here` is {@link HERE_MARKER} and `environ` returns
 * markers instead of values, so the translation can write `${VAR}` and relative paths. Each dict,
 * list and tuple literal is evaluated entry by entry, so one non-literal entry is reported with its
 * key path instead of failing the whole file.
 * @example
 * const { value, unsupported } = evaluatePythonConfig('config.py');
 */
export function evaluatePythonConfig(file: string): SymbolicConfig {
  return JSON.parse(runPythonOn(file, _SCRIPT, [HERE_MARKER])) as SymbolicConfig;
}

const _SCRIPT = String.raw`
import ast, json, math, os, sys
path, HERE = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
with open(path) as f:
    text = f.read()
notes, unsupported, current = [], [], ['']

def join(base, key):
    return key if base == '' else base + '.' + key

class Environ(object):
    def _check(self, name):
        if not isinstance(name, str):
            raise TypeError('environ key %r is not a string' % (name,))
        return name
    def __getitem__(self, name):
        return '\x01%s\x02' % self._check(name)
    def get(self, name, default=None):
        self._check(name)
        if default is None:
            notes.append({'kind': 'env-default-none', 'path': current[0], 'detail': "environ.get('%s') without a default: unset now gives '' instead of None" % name})
            default = ''
        elif not isinstance(default, str):
            notes.append({'kind': 'env-default-type', 'path': current[0], 'detail': "environ.get('%s', %r): the default becomes the string '%s'" % (name, default, default)})
        return '\x01%s\x04%s\x02' % (name, default)
    def __getattr__(self, name):
        raise TypeError('environ.%s cannot be translated; only environ[...] and environ.get(...) can' % name)
    def __contains__(self, name):
        raise TypeError("'in environ' cannot be translated; only environ[...] and environ.get(...) can")

SKIP = object()
scope = {'environ': Environ(), 'here': HERE}

def bad(p, reason, node=None):
    entry = {'path': p or '(root)', 'reason': reason}
    if node is not None:
        source = ast.get_source_segment(text, node)
        if source is not None:
            entry['source'] = source
    unsupported.append(entry)
    return SKIP

def ev(node, p):
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
        out = {}
        for k, v in zip(node.keys, node.values):
            r = ev(v, join(p, k.value))
            if r is not SKIP:
                out[k.value] = r
        return out
    if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        if isinstance(node, ast.Tuple):
            notes.append({'kind': 'tuple', 'path': p or '(root)', 'detail': 'tuple became a list'})
        items = [ev(e, join(p, str(i))) for i, e in enumerate(node.elts)]
        return [None if r is SKIP else r for r in items]
    current[0] = p or '(root)'
    try:
        value = eval(compile(ast.Expression(body=node), path, 'eval'), scope)
    except Exception as e:
        return bad(p, '%s: %s' % (type(e).__name__, e), node)
    return conv(value, p, node)

def conv(value, p, node):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                bad(join(p, repr(k)), 'a %s key; config keys must be strings' % type(k).__name__, node)
                continue
            r = conv(v, join(p, k), node)
            if r is not SKIP:
                out[k] = r
        return out
    if isinstance(value, (list, tuple)):
        if isinstance(value, tuple):
            notes.append({'kind': 'tuple', 'path': p or '(root)', 'detail': 'tuple became a list'})
        items = [conv(v, join(p, str(i)), node) for i, v in enumerate(value)]
        return [None if r is SKIP else r for r in items]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else bad(p, '%r has no JSON form' % value, node)
    return bad(p, '%s value %r is not a literal (only dicts, lists, tuples, strings, numbers, booleans and None can be migrated)' % (type(value).__name__, value), node)

try:
    tree = ast.parse(text, path, mode='eval')
except SyntaxError as e:
    sys.stderr.write('SyntaxError: %s (line %s)\n' % (e.msg, e.lineno))
    sys.exit(1)
value = ev(tree.body, '')
sys.stdout.write(json.dumps({'value': None if value is SKIP else value, 'notes': notes, 'unsupported': unsupported}))
`;
