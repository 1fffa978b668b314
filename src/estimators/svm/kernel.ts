/**
 * A resolved kernel: scikit-learn's `kernel`, with `gamma` already a number ('scale'/'auto' resolved at fit).
 * @example
 * const spec: KernelSpec = { kernel: 'rbf', gamma: 0.25, degree: 3, coef0: 0 };
 */
export interface KernelSpec {
  kernel: 'linear' | 'rbf' | 'poly' | 'sigmoid';
  gamma: number;
  degree: number;
  coef0: number;
}

/**
 * Fills `out[j]` with K(a, X[j]) for every row j of the row-major `X` (`rows × d`), `a` being the
 * `d` values at `aAt` in `A`; `sq` holds the squared norms of X's rows and `aSq` that of a (rbf only).
 * One function for training rows and prediction, so both compute the very same numbers.
 * @example
 * kernelRow(spec, A, 0, aSq, X, sq, rows, d, out);
 */
export function kernelRow(spec: KernelSpec, A: Float64Array, aAt: number, aSq: number, X: Float64Array, sq: Float64Array, rows: number, d: number, out: Float64Array): void {
  const { gamma, coef0 } = spec;
  // The dot products first, four rows at a time: a's values stay in registers across the rows.
  let j = 0;
  for (; j + 3 < rows; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const b0 = j * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    for (let f = 0; f < d; f++) {
      const v = A[aAt + f];
      s0 += v * X[b0 + f];
      s1 += v * X[b1 + f];
      s2 += v * X[b2 + f];
      s3 += v * X[b3 + f];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < rows; j++) {
    let s = 0;
    const b = j * d;
    for (let f = 0; f < d; f++) s += A[aAt + f] * X[b + f];
    out[j] = s;
  }
  switch (spec.kernel) {
    case 'linear':
      return;
    case 'rbf':
      // libsvm's form: exp(−γ(‖a‖² + ‖b‖² − 2a·b)).
      for (let k = 0; k < rows; k++) out[k] = Math.exp(-gamma * (aSq + sq[k] - 2 * out[k]));
      return;
    case 'poly': {
      const degree = spec.degree;
      for (let k = 0; k < rows; k++) out[k] = _powi(gamma * out[k] + coef0, degree);
      return;
    }
    case 'sigmoid':
      for (let k = 0; k < rows; k++) out[k] = Math.tanh(gamma * out[k] + coef0);
      return;
  }
}

/**
 * Squared Euclidean norm of each row of the row-major `X` (`rows × d`).
 * @example
 * rowSquares(Float64Array.of(3, 4), 1, 2); // Float64Array [25]
 */
export function rowSquares(X: Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let f = i * d, end = f + d; f < end; f++) s += X[f] * X[f];
    out[i] = s;
  }
  return out;
}

// libsvm's powi: exponentiation by squaring, exact for the integer degrees the poly kernel takes.
function _powi(base: number, times: number): number {
  let tmp = base;
  let ret = 1;
  for (let t = times; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp *= tmp;
  }
  return ret;
}

/**
 * Like {@link kernelRow}, but only for the rows of X listed in `idx[0..count)`, written at `out[idx[k]]`
 * (the solver's active set after shrinking; the other entries of `out` are left as they were).
 * @example
 * kernelRowSubset(spec, X, i * d, sq[i], X, sq, active, activeSize, d, out);
 */
export function kernelRowSubset(
  spec: KernelSpec,
  A: Float64Array,
  aAt: number,
  aSq: number,
  X: Float64Array,
  sq: Float64Array,
  idx: Int32Array,
  count: number,
  d: number,
  out: Float64Array,
): void {
  const { gamma, coef0 } = spec;
  for (let k = 0; k < count; k++) {
    const j = idx[k];
    const b = j * d;
    let s = 0;
    for (let f = 0; f < d; f++) s += A[aAt + f] * X[b + f];
    switch (spec.kernel) {
      case 'linear':
        out[j] = s;
        break;
      case 'rbf':
        out[j] = Math.exp(-gamma * (aSq + sq[j] - 2 * s));
        break;
      case 'poly':
        out[j] = _powi(gamma * s + coef0, spec.degree);
        break;
      case 'sigmoid':
        out[j] = Math.tanh(gamma * s + coef0);
        break;
    }
  }
}

/**
 * K(xᵢ, xᵢ) for every row, from the squared norms (the rbf kernel's is 1).
 * @example
 * kernelDiagonal({ kernel: 'linear', gamma: 1, degree: 3, coef0: 0 }, Float64Array.of(25)); // Float64Array [25]
 */
export function kernelDiagonal(spec: KernelSpec, sq: Float64Array): Float64Array {
  const out = new Float64Array(sq.length);
  for (let i = 0; i < sq.length; i++) {
    const s = sq[i];
    out[i] =
      spec.kernel === 'linear' ? s : spec.kernel === 'rbf' ? 1 : spec.kernel === 'poly' ? _powi(spec.gamma * s + spec.coef0, spec.degree) : Math.tanh(spec.gamma * s + spec.coef0);
  }
  return out;
}
