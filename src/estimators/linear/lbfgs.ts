/**
 * The objective for {@link minimizeLbfgs}: writes the gradient at `x` into `grad` and returns f(x).
 * @example
 * const sphere: Objective = (x, g) => { g.set(x.map((v) => 2 * v)); return x.reduce((s, v) => s + v * v, 0); };
 */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/**
 * Settings of {@link minimizeLbfgs}, named and defaulted like scipy's L-BFGS-B (which scikit-learn's
 * 'lbfgs' solver calls): `gtol` bounds the largest gradient component, `ftol` the relative decrease of f.
 * @example
 * const options: LbfgsOptions = { maxIter: 100, gtol: 1e-4 };
 */
export interface LbfgsOptions {
  maxIter: number;
  gtol: number;
  /** Relative reduction of f below which the run stops; scipy's default (factr 1e7 × machine epsilon). */
  ftol?: number;
  /** Correction pairs kept (scipy's maxcor). */
  memory?: number;
  /** Function evaluations allowed per line search (scipy's maxls). */
  maxLineSearch?: number;
}

/**
 * The outcome of {@link minimizeLbfgs}; `converged` is false when `maxIter` ran out or the line search
 * found no decrease (scikit-learn warns then, we return the last iterate).
 * @example
 * const { x, nIter } = minimizeLbfgs(f, x0, { maxIter: 100, gtol: 1e-5 });
 */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  nIter: number;
  nEval: number;
  converged: boolean;
}

/**
 * Minimises a smooth function with limited-memory BFGS and a strong-Wolfe line search (Nocedal & Wright,
 * algorithms 7.4, 3.5 and 3.6), stopping like scipy's L-BFGS-B without bounds: when max |∇f| ≤ gtol or
 * the relative reduction of f drops to ftol. Works in place on Float64Arrays; no allocation per iteration.
 * @example
 * const { x } = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1), { maxIter: 50, gtol: 1e-8 });
 * x[0]; // ≈ 3
 */
export function minimizeLbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const search = new _LineSearch(fg, n, options.maxLineSearch ?? 20);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let f = fg(x, g);
  let nEval = 1;
  let stored = 0;
  let head = 0;
  let gamma = 1;
  let nIter = 0;
  if (_maxAbs(g) <= options.gtol) return { x, f, nIter, nEval, converged: true };
  while (nIter < options.maxIter) {
    _direction(g, d, S, Y, rho, alpha, stored, head, m, gamma);
    // The first step (and a restart) is a steepest-descent step of length one, as in L-BFGS-B.
    let step = stored === 0 ? 1 / Math.sqrt(_dot(d, d)) : 1;
    let found = search.run(x, f, g, d, step);
    nEval += search.nEval;
    if (!found && stored > 0) {
      // A poor quasi-Newton direction: forget the curvature pairs and retry downhill, like L-BFGS-B.
      stored = 0;
      gamma = 1;
      _direction(g, d, S, Y, rho, alpha, 0, head, m, gamma);
      step = 1 / Math.sqrt(_dot(d, d));
      found = search.run(x, f, g, d, step);
      nEval += search.nEval;
    }
    if (!found) return { x, f, nIter, nEval, converged: false };
    nIter++;
    const fOld = f;
    f = search.f;
    // s = x_new - x, y = g_new - g, written straight into the ring buffer.
    const at = head * n;
    let sy = 0;
    let yy = 0;
    for (let j = 0; j < n; j++) {
      const s = search.x[j] - x[j];
      const y = search.g[j] - g[j];
      S[at + j] = s;
      Y[at + j] = y;
      sy += s * y;
      yy += y * y;
    }
    x.set(search.x);
    g.set(search.g);
    // Skip pairs without positive curvature, as L-BFGS-B does, so the implicit Hessian stays positive definite.
    if (sy > 2.220446049250313e-16 * yy) {
      rho[head] = 1 / sy;
      gamma = sy / yy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    if (_maxAbs(g) <= options.gtol) return { x, f, nIter, nEval, converged: true };
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) return { x, f, nIter, nEval, converged: true };
  }
  return { x, f, nIter, nEval, converged: false };
}

/** Strong-Wolfe line search along `d` from `x` (sufficient decrease 1e-3, curvature 0.9: L-BFGS-B's constants). */
class _LineSearch {
  readonly x: Float64Array;
  readonly g: Float64Array;
  f = Number.NaN;
  nEval = 0;
  readonly #fg: Objective;
  readonly #maxEval: number;
  #x0!: Float64Array;
  #d!: Float64Array;

  constructor(fg: Objective, n: number, maxEval: number) {
    this.#fg = fg;
    this.#maxEval = maxEval;
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
  }

  /** True when a step satisfying the strong Wolfe conditions was found; `x`, `g`, `f` then hold it. */
  run(x0: Float64Array, f0: number, g0: Float64Array, d: Float64Array, step: number): boolean {
    const c1 = 1e-3;
    const c2 = 0.9;
    this.#x0 = x0;
    this.#d = d;
    this.nEval = 0;
    const dphi0 = _dot(g0, d);
    if (!(dphi0 < 0)) return false;
    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dphi0;
    let a = step;
    while (this.nEval < this.#maxEval) {
      const [fa, da] = this.#eval(a);
      if (!Number.isFinite(fa) || fa > f0 + c1 * a * dphi0 || (this.nEval > 1 && fa >= fPrev)) {
        return this.#zoom(aPrev, fPrev, dPrev, a, fa, da, f0, dphi0, c1, c2);
      }
      if (Math.abs(da) <= -c2 * dphi0) return true;
      if (da >= 0) return this.#zoom(a, fa, da, aPrev, fPrev, dPrev, f0, dphi0, c1, c2);
      aPrev = a;
      fPrev = fa;
      dPrev = da;
      a *= 4;
    }
    return false;
  }

  #zoom(lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number, f0: number, dphi0: number, c1: number, c2: number): boolean {
    while (this.nEval < this.#maxEval) {
      const a = _cubicMinimizer(lo, fLo, dLo, hi, fHi, dHi);
      const [fa, da] = this.#eval(a);
      if (!Number.isFinite(fa) || fa > f0 + c1 * a * dphi0 || fa >= fLo) {
        hi = a;
        fHi = fa;
        dHi = da;
      } else {
        if (Math.abs(da) <= -c2 * dphi0) return true;
        if (da * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = a;
        fLo = fa;
        dLo = da;
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // Out of evaluations: accept the best point with sufficient decrease, if there is one.
    if (lo > 0 && fLo < f0) {
      this.#eval(lo);
      return true;
    }
    return false;
  }

  #eval(a: number): [number, number] {
    for (let j = 0; j < this.x.length; j++) this.x[j] = this.#x0[j] + a * this.#d[j];
    this.f = this.#fg(this.x, this.g);
    this.nEval++;
    return [this.f, _dot(this.g, this.#d)];
  }
}

/** Minimiser of the cubic through both end points, kept 10% inside the interval; bisection as a fallback. */
function _cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  const lowEdge = Math.min(a, b) + 0.1 * Math.abs(b - a);
  const highEdge = Math.max(a, b) - 0.1 * Math.abs(b - a);
  if (disc >= 0 && Number.isFinite(fb) && Number.isFinite(db)) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
    if (t >= lowEdge && t <= highEdge) return t;
  }
  return (a + b) / 2;
}

/** d = -H g by the two-loop recursion over the `stored` most recent pairs, H₀ = gamma·I. */
function _direction(
  g: Float64Array,
  d: Float64Array,
  S: Float64Array,
  Y: Float64Array,
  rho: Float64Array,
  alpha: Float64Array,
  stored: number,
  head: number,
  m: number,
  gamma: number,
): void {
  const n = g.length;
  for (let j = 0; j < n; j++) d[j] = -g[j];
  for (let k = 0; k < stored; k++) {
    const at = ((head - 1 - k + m) % m) * n;
    let sd = 0;
    for (let j = 0; j < n; j++) sd += S[at + j] * d[j];
    alpha[k] = rho[(head - 1 - k + m) % m] * sd;
    for (let j = 0; j < n; j++) d[j] -= alpha[k] * Y[at + j];
  }
  for (let j = 0; j < n; j++) d[j] *= gamma;
  for (let k = stored - 1; k >= 0; k--) {
    const slot = (head - 1 - k + m) % m;
    const at = slot * n;
    let yd = 0;
    for (let j = 0; j < n; j++) yd += Y[at + j] * d[j];
    const beta = rho[slot] * yd;
    for (let j = 0; j < n; j++) d[j] += (alpha[k] - beta) * S[at + j];
  }
}

function _dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function _maxAbs(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]));
  return m;
}
