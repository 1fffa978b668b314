import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../tree/prng.js';
import { createArena, Layout, setWasmKernels } from './kernels.js';

// Each kernel against the plain loop it stands for, on random data with padding columns and rows.
describe('WebAssembly fit kernels', () => {
  it('are available on Node 20 (WebAssembly SIMD)', () => {
    expect(setWasmKernels(true)).toBe(true);
  });

  const rand = mulberry32(11);
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b)));

  it('gram24: a 2 × 4 block of XᵀX added to what the output held', () => {
    const m = 14;
    const layout = new Layout();
    const cols = Array.from({ length: 6 }, () => layout.take(m * 8));
    const out = layout.take(64);
    const arena = createArena(layout.size)!;
    for (const at of cols) for (let i = 0; i < m; i++) arena.f64[at / 8 + i] = rand() - 0.5;
    for (let q = 0; q < 8; q++) arena.f64[out / 8 + q] = q;
    // a0, a1 are columns 0 and 1; c0..c3 are columns 2..5 (stride = one column).
    arena.kernels.gram24(cols[0], cols[1], cols[2], cols[3] - cols[2], m * 8, out);
    for (let r = 0; r < 2; r++) {
      for (let q = 0; q < 4; q++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += arena.f64[cols[r] / 8 + i] * arena.f64[cols[2 + q] / 8 + i];
        close(arena.f64[out / 8 + 4 * r + q], 4 * r + q + s);
      }
    }
  });

  it('scores and xtr: X·Wᵀ + b and RᵀX of a row-major X, every class at once', () => {
    const n = 10;
    const dp = 6;
    const K = 3;
    const layout = new Layout();
    const [pX, pW, pB, pZ, pG] = [n * dp, K * dp, K, n * K, K * dp].map((count) => layout.take(count * 8));
    const arena = createArena(layout.size)!;
    const f = arena.f64;
    for (let e = 0; e < n * dp; e++) f[pX / 8 + e] = rand() - 0.5;
    for (let e = 0; e < K * dp; e++) f[pW / 8 + e] = rand() - 0.5;
    for (let k = 0; k < K; k++) f[pB / 8 + k] = k - 1;
    arena.kernels.scores(pX, n, dp * 8, pW, K, pB, pZ);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        let s = k - 1;
        for (let j = 0; j < dp; j++) s += f[pX / 8 + i * dp + j] * f[pW / 8 + k * dp + j];
        close(f[pZ / 8 + i * K + k], s);
      }
    }
    for (let e = 0; e < K * dp; e++) f[pG / 8 + e] = 1;
    arena.kernels.xtr(pX, n, dp * 8, pZ, K, pG);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < dp; j++) {
        let s = 1;
        for (let i = 0; i < n; i++) s += f[pZ / 8 + i * K + k] * f[pX / 8 + i * dp + j];
        close(f[pG / 8 + k * dp + j], s);
      }
    }
  });

  it('can be switched off, and then no arena is made', () => {
    setWasmKernels(false);
    try {
      expect(createArena(64)).toBeNull();
    } finally {
      setWasmKernels(true);
    }
    expect(createArena(64)).not.toBeNull();
  });
});
