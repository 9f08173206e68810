import { describe, expect, it } from 'vitest';
import type { NumericProfile } from '@/lib/domain/drift-bins';
import { DRIFT_THRESHOLDS } from '@/lib/domain/drift-scores';
import { validateEdges, validateProfile, validateRawValues, validateSnapshot, validateThresholds } from '@/lib/domain/drift-validation';
import { categorical } from '../support/drift-fixtures';

describe('validation (problems for a 422, not exceptions)', () => {
  const reference: NumericProfile = { type: 'numeric', edges: [1, 2, 3], counts: [1, 2, 3, 4] };

  it('accepts valid profiles and snapshots', () => {
    expect(validateProfile(reference)).toEqual([]);
    expect(validateProfile({ ...reference, summary: { mean: 1, std: 0.5, min: 0, max: 4, n: 10 } })).toEqual([]);
    expect(validateProfile(categorical({ a: 1, b: 0 }))).toEqual([]);
    expect(validateSnapshot(reference, { type: 'numeric', counts: [0, 0, 1, 0] })).toEqual([]);
    expect(validateSnapshot(reference, { type: 'numeric', edges: [1, 2, 3], counts: [0, 0, 1, 0] })).toEqual([]);
    expect(validateSnapshot(categorical({ a: 1 }), categorical({ b: 2 }))).toEqual([]);
    expect(validateRawValues([1, 2.5, -3])).toEqual([]);
  });

  it('mismatched bin count', () => {
    expect(validateSnapshot(reference, { type: 'numeric', counts: [1, 2, 3] })).toEqual([
      { field: 'current.counts', message: 'mismatched bin count: the reference has 4 bins, got 3 counts' },
    ]);
    expect(validateProfile({ type: 'numeric', edges: [1, 2], counts: [1, 2] }, 'features.age')).toEqual([
      { field: 'features.age.counts', message: 'mismatched bin count: 2 edges make 3 bins, got 2 counts' },
    ]);
  });

  it('negative or non-finite counts', () => {
    expect(validateSnapshot(reference, { type: 'numeric', counts: [1, -2, null, 4] })).toEqual([
      { field: 'current.counts[1]', message: 'must not be negative' },
      { field: 'current.counts[2]', message: 'must be a finite number' },
    ]);
    expect(validateProfile({ type: 'categorical', counts: { red: -1, blue: 'x' } })).toEqual([
      { field: 'reference.counts.red', message: 'must not be negative' },
      { field: 'reference.counts.blue', message: 'must be a finite number' },
    ]);
  });

  it('an all-zero snapshot', () => {
    expect(validateSnapshot(reference, { type: 'numeric', counts: [0, 0, 0, 0] })).toEqual([
      { field: 'current.counts', message: 'all counts are zero: the snapshot is empty' },
    ]);
    expect(validateSnapshot(categorical({ a: 1 }), categorical({ a: 0 }))[0]?.message).toMatch(/all counts are zero/);
  });

  it('edges not strictly ascending, or not the reference edges', () => {
    expect(validateProfile({ type: 'numeric', edges: [1, 1, 0.5], counts: [1, 1, 1, 1] })).toEqual([
      { field: 'reference.edges[1]', message: 'edges must be strictly ascending: 1 does not exceed 1' },
      { field: 'reference.edges[2]', message: 'edges must be strictly ascending: 0.5 does not exceed 1' },
    ]);
    expect(validateEdges([0, Number.POSITIVE_INFINITY])).toEqual([{ field: 'edges[1]', message: 'must be a finite number' }]);
    expect(validateSnapshot(reference, { type: 'numeric', edges: [1, 2, 4], counts: [1, 1, 1, 1] })).toEqual([
      { field: 'current.edges', message: "must equal the reference profile's edges (or be omitted)" },
    ]);
  });

  it('type, shape and summary problems', () => {
    expect(validateProfile(null)).toEqual([{ field: 'reference', message: 'must be an object' }]);
    expect(validateProfile({ type: 'ordinal' })).toEqual([{ field: 'reference.type', message: "must be 'numeric' or 'categorical'" }]);
    expect(validateProfile({ type: 'categorical', counts: {} })).toEqual([{ field: 'reference.counts', message: 'needs at least one category' }]);
    expect(validateSnapshot(reference, categorical({ a: 1 }))).toEqual([{ field: 'current.type', message: "must be 'numeric' like the reference profile" }]);
    expect(validateProfile({ ...reference, summary: { mean: 0, std: -1, min: 3, max: 2, n: 5 } })).toEqual([
      { field: 'reference.summary.std', message: 'must not be negative' },
      { field: 'reference.summary.min', message: 'must not exceed max' },
    ]);
    expect(validateProfile({ ...reference, summary: { mean: 0 } }).map((p) => p.field)).toEqual([
      'reference.summary.std',
      'reference.summary.min',
      'reference.summary.max',
      'reference.summary.n',
    ]);
  });

  it('raw values', () => {
    expect(validateRawValues([])).toEqual([{ field: 'values', message: 'needs at least one value' }]);
    expect(validateRawValues('1,2')).toEqual([{ field: 'values', message: 'must be an array of numbers' }]);
    expect(validateRawValues([1, Number.NaN, '3'], 'snapshot.values')).toEqual([
      { field: 'snapshot.values[1]', message: 'must be a finite number' },
      { field: 'snapshot.values[2]', message: 'must be a finite number' },
    ]);
    const many = validateRawValues(new Array(25).fill(null));
    expect(many).toHaveLength(11);
    expect(many[10]).toEqual({ field: 'values', message: '15 more non-finite values' });
  });
});

describe('validateThresholds', () => {
  it('validates thresholds', () => {
    expect(validateThresholds(DRIFT_THRESHOLDS)).toEqual([]);
    expect(validateThresholds({ ...DRIFT_THRESHOLDS, psi: { warning: 0.3, critical: 0.2 }, ks: { warning: 0.001, critical: 0.05 } })).toEqual([
      { field: 'thresholds.psi', message: 'distance thresholds need 0 ≤ warning ≤ critical' },
      { field: 'thresholds.ks', message: 'p-value thresholds need 0 < critical ≤ warning ≤ 1' },
    ]);
    expect(validateThresholds({ psi: { warning: 0.1 } }).map((p) => p.field)).toEqual([
      'thresholds.psi',
      'thresholds.jsDistance',
      'thresholds.chiSquare',
      'thresholds.ks',
      'thresholds.wasserstein',
    ]);
  });
});
