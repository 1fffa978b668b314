import { type KernelSpec, kernelDiagonal, kernelRow, kernelRowSubset, rowSquares } from './kernel.js';

/**
 * One two-class problem for {@link solveBinary}: row-major `X` (`l × d`), labels ±1 in `y`, the box
 * bound `Cp` for the +1 rows and `Cn` for the −1 rows (C times the class weights).
 * @example
 * const problem: BinaryProblem = { X, l: 100, d: 4, y, Cp: 1, Cn: 1 };
 */
export interface BinaryProblem {
  X: Float64Array;
  l: number;
  d: number;
  y: Int8Array;
  Cp: number;
  Cn: number;
}

/**
 * Solver settings: libsvm's `eps` (scikit-learn's `tol`), the iteration cap, the kernel-row cache in
 * bytes and whether to shrink the active set; `maxIter: -1` is scikit-learn's "no limit".
 * @example
 * const options: SolverOptions = { tol: 1e-3, maxIter: 1e7, cacheBytes: 200 * 2 ** 20, shrinking: true };
 */
export interface SolverOptions {
  tol: number;
  maxIter: number;
  cacheBytes: number;
  shrinking: boolean;
}

/**
 * What {@link solveBinary} found: `coef[i]` is αᵢ·yᵢ (zero for non-support vectors), the decision
 * function being Σ coefᵢ K(xᵢ, x) − rho.
 * @example
 * const { coef, rho } = solveBinary(problem, kernel, options);
 */
export interface BinarySolution {
  coef: Float64Array;
  rho: number;
  nIter: number;
  /** False when `maxIter` ran out first (scikit-learn warns; we keep the iterate). */
  converged: boolean;
}

const _TAU = 1e-12;
const _INF = Number.POSITIVE_INFINITY;

/**
 * The C-SVC dual, min ½αᵀQα − eᵀα s.t. yᵀα = 0, 0 ≤ αᵢ ≤ Cᵢ, by libsvm's SMO: second-order working-set
 * selection (WSS2, Fan, Chen & Lin 2005), shrinking with one gradient reconstruction near the end, and
 * an LRU cache of kernel rows. Typed arrays throughout; no allocation per iteration except cache misses.
 * @example
 * const { coef, rho } = solveBinary({ X, l, d, y, Cp: 1, Cn: 1 }, { kernel: 'rbf', gamma: 0.5, degree: 3, coef0: 0 }, options);
 */
export function solveBinary(problem: BinaryProblem, kernel: KernelSpec, options: SolverOptions): BinarySolution {
  return new _Solver(problem, kernel, options).solve();
}

class _Solver {
  readonly #l: number;
  readonly #y: Int8Array;
  readonly #C: Float64Array;
  readonly #alpha: Float64Array;
  readonly #G: Float64Array;
  readonly #Gbar: Float64Array;
  // 0 lower bound, 1 upper bound, 2 free: libsvm's alpha_status.
  readonly #status: Uint8Array;
  readonly #active: Int32Array;
  #activeSize: number;
  #unshrink = false;
  readonly #Q: _QMatrix;
  readonly #options: SolverOptions;

  constructor(problem: BinaryProblem, kernel: KernelSpec, options: SolverOptions) {
    const l = problem.l;
    this.#l = l;
    this.#y = problem.y;
    this.#options = options;
    this.#C = new Float64Array(l);
    for (let i = 0; i < l; i++) this.#C[i] = problem.y[i] > 0 ? problem.Cp : problem.Cn;
    this.#alpha = new Float64Array(l);
    // α = 0: the gradient Qα − e is −1 everywhere, every α at its lower bound.
    this.#G = new Float64Array(l).fill(-1);
    this.#Gbar = new Float64Array(l);
    this.#status = new Uint8Array(l);
    this.#active = Int32Array.from({ length: l }, (_, i) => i);
    this.#activeSize = l;
    this.#Q = new _QMatrix(problem, kernel, options.cacheBytes);
  }

  solve(): BinarySolution {
    const l = this.#l;
    const { shrinking } = this.#options;
    // −1 is scikit-learn's "no limit"; libsvm still caps it at max(10⁷, 100·l).
    const maxIter = this.#options.maxIter === -1 ? Math.max(1e7, 100 * l) : this.#options.maxIter;
    const alpha = this.#alpha;
    const G = this.#G;
    const y = this.#y;
    const C = this.#C;
    const QD = this.#Q.diagonal;
    let counter = Math.min(l, 1000) + 1;
    let iter = 0;
    const pair = new Int32Array(2);
    while (iter < maxIter) {
      if (--counter === 0) {
        counter = Math.min(l, 1000);
        if (shrinking) this.#shrink();
      }
      if (!this.#selectWorkingSet(pair)) {
        // Optimal on the active set: check the whole problem before stopping.
        this.#reconstructGradient();
        if (!this.#selectWorkingSet(pair)) break;
        counter = 1;
      }
      iter++;
      const i = pair[0];
      const j = pair[1];
      const active = this.#active;
      const n = this.#activeSize;
      const Qi = this.#Q.row(i, active, n, false);
      const Qj = this.#Q.row(j, active, n, false);
      const Ci = C[i];
      const Cj = C[j];
      const oldI = alpha[i];
      const oldJ = alpha[j];
      // The two-variable subproblem, clipped to the box: libsvm's update, case by case.
      if (y[i] !== y[j]) {
        let quad = QD[i] + QD[j] + 2 * Qi[j];
        if (quad <= 0) quad = _TAU;
        const delta = (-G[i] - G[j]) / quad;
        const diff = alpha[i] - alpha[j];
        alpha[i] += delta;
        alpha[j] += delta;
        if (diff > 0) {
          if (alpha[j] < 0) {
            alpha[j] = 0;
            alpha[i] = diff;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = -diff;
        }
        if (diff > Ci - Cj) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = Ci - diff;
          }
        } else if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = Cj + diff;
        }
      } else {
        let quad = QD[i] + QD[j] - 2 * Qi[j];
        if (quad <= 0) quad = _TAU;
        const delta = (G[i] - G[j]) / quad;
        const sum = alpha[i] + alpha[j];
        alpha[i] -= delta;
        alpha[j] += delta;
        if (sum > Ci) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = sum - Ci;
          }
        } else if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = sum;
        }
        if (sum > Cj) {
          if (alpha[j] > Cj) {
            alpha[j] = Cj;
            alpha[i] = sum - Cj;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = sum;
        }
      }
      const dI = alpha[i] - oldI;
      const dJ = alpha[j] - oldJ;
      for (let k = 0; k < n; k++) {
        const t = active[k];
        G[t] += Qi[t] * dI + Qj[t] * dJ;
      }
      // Ḡ = Σ_{αⱼ = Cⱼ} Cⱼ Q[j]: kept for rebuilding the gradient of shrunk variables.
      const upperI = this.#status[i] === 1;
      const upperJ = this.#status[j] === 1;
      this.#setStatus(i);
      this.#setStatus(j);
      if (upperI !== (this.#status[i] === 1)) this.#moveGbar(i, upperI ? -Ci : Ci);
      if (upperJ !== (this.#status[j] === 1)) this.#moveGbar(j, upperJ ? -Cj : Cj);
    }
    const converged = iter < maxIter;
    if (!converged) this.#reconstructGradient();
    const coef = new Float64Array(l);
    for (let i = 0; i < l; i++) coef[i] = alpha[i] * y[i];
    return { coef, rho: this.#rho(), nIter: iter, converged };
  }

  #setStatus(i: number): void {
    const a = this.#alpha[i];
    this.#status[i] = a >= this.#C[i] ? 1 : a <= 0 ? 0 : 2;
  }

  #moveGbar(i: number, scale: number): void {
    const Qi = this.#Q.row(i, this.#active, this.#activeSize, true);
    const Gbar = this.#Gbar;
    for (let k = 0; k < this.#l; k++) Gbar[k] += scale * Qi[k];
  }

  /** libsvm's WSS2: i maximises −yᵢ∇ᵢ over I_up, j the second-order gain over I_low; false when optimal. */
  #selectWorkingSet(out: Int32Array): boolean {
    const G = this.#G;
    const y = this.#y;
    const status = this.#status;
    const active = this.#active;
    const n = this.#activeSize;
    let Gmax = -_INF;
    let Gmax2 = -_INF;
    let iBest = -1;
    let jBest = -1;
    let objMin = _INF;
    for (let k = 0; k < n; k++) {
      const t = active[k];
      if (y[t] > 0) {
        if (status[t] !== 1 && -G[t] >= Gmax) {
          Gmax = -G[t];
          iBest = t;
        }
      } else if (status[t] !== 0 && G[t] >= Gmax) {
        Gmax = G[t];
        iBest = t;
      }
    }
    if (iBest === -1) return false;
    const i = iBest;
    const Qi = this.#Q.row(i, active, n, false);
    const QD = this.#Q.diagonal;
    const yi = y[i];
    const QDi = QD[i];
    for (let k = 0; k < n; k++) {
      const j = active[k];
      if (y[j] > 0) {
        if (status[j] !== 0) {
          const gradDiff = Gmax + G[j];
          if (G[j] >= Gmax2) Gmax2 = G[j];
          if (gradDiff > 0) {
            const quad = QDi + QD[j] - 2 * yi * Qi[j];
            const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : _TAU);
            if (obj <= objMin) {
              jBest = j;
              objMin = obj;
            }
          }
        }
      } else if (status[j] !== 1) {
        const gradDiff = Gmax - G[j];
        if (-G[j] >= Gmax2) Gmax2 = -G[j];
        if (gradDiff > 0) {
          const quad = QDi + QD[j] + 2 * yi * Qi[j];
          const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : _TAU);
          if (obj <= objMin) {
            jBest = j;
            objMin = obj;
          }
        }
      }
    }
    if (Gmax + Gmax2 < this.#options.tol || jBest === -1) return false;
    out[0] = i;
    out[1] = jBest;
    return true;
  }

  /** Drops from the active set the bounded variables that cannot move (libsvm's do_shrinking). */
  #shrink(): void {
    const G = this.#G;
    const y = this.#y;
    const status = this.#status;
    let Gmax1 = -_INF;
    let Gmax2 = -_INF;
    for (let k = 0; k < this.#activeSize; k++) {
      const t = this.#active[k];
      if (y[t] > 0) {
        if (status[t] !== 1) Gmax1 = Math.max(Gmax1, -G[t]);
        if (status[t] !== 0) Gmax2 = Math.max(Gmax2, G[t]);
      } else {
        if (status[t] !== 1) Gmax2 = Math.max(Gmax2, -G[t]);
        if (status[t] !== 0) Gmax1 = Math.max(Gmax1, G[t]);
      }
    }
    // Close to the end: bring every variable back once, so a wrongly shrunk one can still move.
    if (!this.#unshrink && Gmax1 + Gmax2 <= this.#options.tol * 10) {
      this.#unshrink = true;
      this.#reconstructGradient();
    }
    const active = this.#active;
    let kept = 0;
    for (let k = 0; k < this.#activeSize; k++) {
      const t = active[k];
      if (!this.#shrinkable(t, Gmax1, Gmax2)) active[kept++] = t;
    }
    // The shrunk ones go after the active ones, so the array stays a permutation of 0..l−1.
    if (kept < this.#activeSize) this.#restOfPermutation(kept);
    this.#activeSize = kept;
  }

  #shrinkable(t: number, Gmax1: number, Gmax2: number): boolean {
    const g = this.#G[t];
    const pos = this.#y[t] > 0;
    if (this.#status[t] === 1) return pos ? -g > Gmax1 : -g > Gmax2;
    if (this.#status[t] === 0) return pos ? g > Gmax2 : g > Gmax1;
    return false;
  }

  #restOfPermutation(kept: number): void {
    const inActive = new Uint8Array(this.#l);
    for (let k = 0; k < kept; k++) inActive[this.#active[k]] = 1;
    let at = kept;
    for (let t = 0; t < this.#l; t++) if (inActive[t] === 0) this.#active[at++] = t;
  }

  /** Rebuilds the gradient of the shrunk variables from Ḡ and the free α, then activates all of them. */
  #reconstructGradient(): void {
    const l = this.#l;
    const n = this.#activeSize;
    if (n === l) return;
    const G = this.#G;
    const active = this.#active;
    for (let k = n; k < l; k++) {
      const t = active[k];
      G[t] = this.#Gbar[t] - 1;
    }
    for (let k = 0; k < n; k++) {
      const i = active[k];
      if (this.#status[i] !== 2) continue;
      const Qi = this.#Q.row(i, active, n, true);
      const a = this.#alpha[i];
      for (let m = n; m < l; m++) {
        const t = active[m];
        G[t] += a * Qi[t];
      }
    }
    for (let t = 0; t < l; t++) active[t] = t;
    this.#activeSize = l;
    this.#Q.dropPartial();
  }

  /** The threshold: the mean of yᵢ∇ᵢ over free variables, else the middle of the feasible interval. */
  #rho(): number {
    const G = this.#G;
    const y = this.#y;
    let ub = _INF;
    let lb = -_INF;
    let nFree = 0;
    let sumFree = 0;
    for (let i = 0; i < this.#l; i++) {
      const yG = y[i] * G[i];
      if (this.#status[i] === 1) {
        if (y[i] < 0) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else if (this.#status[i] === 0) {
        if (y[i] > 0) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else {
        nFree++;
        sumFree += yG;
      }
    }
    return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  }
}

/**
 * Rows of Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ) on demand, least recently used evicted once `cacheBytes` is spent. A row
 * computed for an active set is valid for any smaller one; shrinking only ever shrinks it until the
 * gradient is reconstructed, which asks for full rows (`full`), so a partial row is never read stale.
 */
class _QMatrix {
  readonly diagonal: Float64Array;
  readonly #problem: BinaryProblem;
  readonly #kernel: KernelSpec;
  readonly #sq: Float64Array;
  readonly #capacity: number;
  // Map keeps insertion order: the first key is the least recently used row.
  readonly #rows = new Map<number, { data: Float64Array; full: boolean }>();

  constructor(problem: BinaryProblem, kernel: KernelSpec, cacheBytes: number) {
    this.#problem = problem;
    this.#kernel = kernel;
    const { X, l, d } = problem;
    this.#sq = rowSquares(X, l, d);
    this.#capacity = Math.max(2, Math.floor(cacheBytes / (8 * Math.max(l, 1))));
    this.diagonal = kernelDiagonal(kernel, this.#sq);
  }

  /** Forgets rows computed for a smaller active set: after the gradient is rebuilt, the set may grow anew. */
  dropPartial(): void {
    for (const [i, entry] of this.#rows) if (!entry.full) this.#rows.delete(i);
  }

  /** Row i of Q, right on `active[0..count)`, or on every index when `full` (`count` is then the active-set size). */
  row(i: number, active: Int32Array, count: number, full: boolean): Float64Array {
    const { X, l, d, y } = this.#problem;
    const wantFull = full || count === l;
    const hit = this.#rows.get(i);
    if (hit !== undefined && (hit.full || !wantFull)) {
      this.#rows.delete(i);
      this.#rows.set(i, hit);
      return hit.data;
    }
    if (hit !== undefined && full && count < l) {
      // A partial row is right on the active set: compute only the shrunk entries (libsvm extends rows too).
      const rest = active.subarray(count);
      const data = hit.data;
      kernelRowSubset(this.#kernel, X, i * d, this.#sq[i], X, this.#sq, rest, l - count, d, data);
      for (let k = 0; k < rest.length; k++) data[rest[k]] *= y[i] * y[rest[k]];
      hit.full = true;
      this.#rows.delete(i);
      this.#rows.set(i, hit);
      return data;
    }
    let entry = hit;
    if (entry === undefined) {
      if (this.#rows.size >= this.#capacity) {
        const oldest = this.#rows.keys().next().value as number;
        entry = this.#rows.get(oldest);
        this.#rows.delete(oldest);
      }
      entry = entry ?? { data: new Float64Array(l), full: false };
    } else this.#rows.delete(i);
    const data = entry.data;
    if (wantFull) kernelRow(this.#kernel, X, i * d, this.#sq[i], X, this.#sq, l, d, data);
    else kernelRowSubset(this.#kernel, X, i * d, this.#sq[i], X, this.#sq, active, count, d, data);
    const yi = y[i];
    if (wantFull) {
      for (let k = 0; k < l; k++) data[k] *= yi * y[k];
    } else {
      for (let k = 0; k < count; k++) {
        const t = active[k];
        data[t] *= yi * y[t];
      }
    }
    entry.full = wantFull;
    this.#rows.set(i, entry);
    return data;
  }
}
