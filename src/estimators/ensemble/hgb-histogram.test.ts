import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../tree/prng.js';
import { buildHistogram, countHistogram, FEATURE_SPAN, histogramLength, packBins } from './hgb-histogram.js';

describe('packed-bin histograms', () => {
  const random = mulberry32(9);
  const n = 500;
  const bins = Array.from({ length: 7 }, () => Uint8Array.from({ length: n }, () => Math.floor(random() * 256)));
  const g = Float64Array.from({ length: n }, () => random() - 0.5);
  const h = Float64Array.from({ length: n }, () => random());
  const order = Int32Array.from({ length: n }, (_, i) => (i * 37) % n);

  it('packs four features to a word, row-major, the padding bytes 0', () => {
    const packed = packBins(bins);
    expect(packed.nWords).toBe(2);
    for (const i of [0, 1, 250, 499]) {
      for (let f = 0; f < 7; f++) expect((packed.words[i * 2 + (f >> 2)] >>> ((f & 3) * 8)) & 255).toBe(bins[f][i]);
      expect(packed.words[i * 2 + 1] >>> 24).toBe(0);
    }
  });

  it('sums gradients, hessians and counts per feature and bin, the same over any word range split', () => {
    const packed = packBins(bins);
    const full = new Float64Array(histogramLength(2));
    buildHistogram(full, packed, 0, 2, order, 100, 400, g, h, null);
    // A plain per-feature reference, summed in the same row order.
    for (let f = 0; f < 7; f++) {
      const ref = new Float64Array(FEATURE_SPAN);
      for (let k = 100; k < 400; k++) {
        const i = order[k];
        ref[bins[f][i] * 3] += g[i];
        ref[bins[f][i] * 3 + 1] += h[i];
        ref[bins[f][i] * 3 + 2] += 1;
      }
      expect(full.subarray(f * FEATURE_SPAN, (f + 1) * FEATURE_SPAN)).toEqual(ref);
    }
    const split = new Float64Array(histogramLength(2));
    buildHistogram(split, packed, 1, 2, order, 100, 400, g, h, null);
    buildHistogram(split, packed, 0, 1, order, 100, 400, g, h, null);
    expect(split).toEqual(full);
  });

  it('takes known root counts instead of counting, and counts for constant hessians', () => {
    const packed = packBins(bins);
    const identity = Int32Array.from({ length: n }, (_, i) => i);
    const counted = new Float64Array(histogramLength(2));
    buildHistogram(counted, packed, 0, 2, identity, 0, n, g, null, null);
    const given = new Float64Array(histogramLength(2));
    buildHistogram(given, packed, 0, 2, identity, 0, n, g, null, countHistogram(packed, n));
    expect(given).toEqual(counted);
    for (let at = 0; at < counted.length; at += 3) expect(counted[at + 1]).toBe(counted[at + 2]);
    expect(counted[2 + 3 * bins[0][0]]).toBe(bins[0].filter((b) => b === bins[0][0]).length);
  });
});
