import { describe, expect, it } from 'vitest';
import { binValues, countCategories, numericProfileFromValues, referenceEdges, summarize } from '@/lib/domain/drift-bins';
import { EDGES, SAMPLE_FINGERPRINTS, expectClose, sample } from '../support/drift-fixtures';

describe('sample generator (mirrors the reference script)', () => {
  it.each(SAMPLE_FINGERPRINTS)('%j', (spec, values) => expect(sample(spec)).toEqual(values));
});

describe('referenceEdges and binValues (numpy.quantile linear, numpy.unique, searchsorted left)', () => {
  it.each(EDGES.map((c) => [`${c.spec[0]} seed ${c.spec[1]} n ${c.spec[2]}, ${c.bins} bins`, c] as const))('%s', (_, c) => {
    const values = sample(c.spec);
    const edges = referenceEdges(values, c.bins);
    expect(edges).toHaveLength(c.edges.length);
    edges.forEach((e, i) => expectClose(e, c.edges[i]!, 1e-14));
    expect(binValues(values, c.edges)).toEqual(c.counts);
    expect(binValues(sample(['normal', c.spec[1] + 1000, 300, 0.3, 1.5]), c.edges)).toEqual(c.otherCounts);
    expect(numericProfileFromValues(values, c.bins).counts).toEqual(c.counts);
  });

  it('merges duplicate edges so bins never collapse (probatus #112)', () => {
    const values = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    expect(referenceEdges(values, 10)).toEqual([0, 0.39999999999999947, 1.2999999999999998, 2.2, 3.0999999999999996]); // numpy
    expect(referenceEdges([5, 5, 5], 10)).toEqual([5]);
    expect(referenceEdges([1, 2, 3], 1)).toEqual([]);
  });

  it('bins are right-closed: a value equal to an edge goes to the lower bin', () => {
    expect(binValues([-5, 1, 1.0000001, 2, 3, 99], [1, 2, 3])).toEqual([2, 2, 1, 1]);
    expect(binValues([], [1, 2])).toEqual([0, 0, 0]);
    expect(binValues([7], [])).toEqual([1]);
  });

  it('rejects malformed input with a RangeError', () => {
    expect(() => referenceEdges([], 10)).toThrow(RangeError);
    expect(() => referenceEdges([1, Number.NaN], 10)).toThrow(RangeError);
    expect(() => referenceEdges([1, 2], 0)).toThrow(RangeError);
    expect(() => referenceEdges([1, 2], 2.5)).toThrow(RangeError);
    expect(() => binValues([1], [2, 2])).toThrow(RangeError);
    expect(() => binValues([1], [3, 2])).toThrow(RangeError);
    expect(() => binValues([Number.POSITIVE_INFINITY], [1])).toThrow(RangeError);
  });

  it('countCategories counts raw categorical values', () => {
    expect(countCategories(['b', 'a', 'b', 'constructor'])).toEqual({ b: 2, a: 1, constructor: 1 });
  });

  it('summarize: population std (ddof 0)', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25), min: 1, max: 4, n: 4 });
  });
});
