import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../tree/prng.js';
import { createArena, Layout, releaseArena, setWasmKernels } from './kernels.js';

// gram24 against the plain loop it stands for (scores and xtr: kernels-design.test.ts, against blas.ts).
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

  it('reuses a released arena, zero-filled, when it is large enough', () => {
    const first = createArena(4096)!;
    first.f64.fill(7);
    releaseArena(first);
    const again = createArena(1024)!;
    expect(again.f64.buffer).toBe(first.f64.buffer);
    expect(again.f64.subarray(0, 128).every((v) => v === 0)).toBe(true);
    // Taken: the next arena is a new one.
    expect(createArena(1024)!.f64.buffer).not.toBe(first.f64.buffer);
    releaseArena(again);
    expect(createArena(1 << 20)!.f64.buffer).not.toBe(first.f64.buffer);
  });

  it('hands a reused arena back as it was when asked not to zero it', () => {
    const first = createArena(4096)!;
    first.f64.fill(7);
    releaseArena(first);
    const again = createArena(1024, false)!;
    expect(again.f64.buffer).toBe(first.f64.buffer);
    expect(again.f64[0]).toBe(7);
    releaseArena(again);
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
