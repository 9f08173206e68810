import { describe, expect, it } from 'vitest';
import {
  checkBumpCoversChange,
  Contract,
  ContractField,
  diffContracts,
  FIELD_TYPES,
  requiredBump,
  type ContractChange,
} from '@/lib/domain/contract';
import { parseSemver, type SemVer } from '@/lib/domain/semver';

function field(name: string, type: (typeof FIELD_TYPES)[number] = 'float', extra: Record<string, unknown> = {}): ContractField {
  return ContractField.parse({ name, type, ...extra });
}

function contract(inputs: ContractField[] = [], outputs: ContractField[] = []): Contract {
  return Contract.parse({ inputs, outputs });
}

/** Diff one field on one side: before → after. */
function diffOne(side: 'input' | 'output', before: ContractField, after: ContractField) {
  return side === 'input' ? diffContracts(contract([before]), contract([after])) : diffContracts(contract([], [before]), contract([], [after]));
}

function v(text: string): SemVer {
  const parsed = parseSemver(text);
  if (!parsed) throw new Error(`bad fixture ${text}`);
  return parsed;
}

describe('ContractField', () => {
  it('fills defaults: not nullable, required', () => {
    expect(ContractField.parse({ name: 'amount', type: 'integer' })).toEqual({ name: 'amount', type: 'integer', nullable: false, required: true });
  });

  it('trims names and rejects empty or overlong ones', () => {
    expect(ContractField.parse({ name: '  amount ', type: 'integer' }).name).toBe('amount');
    expect(ContractField.safeParse({ name: '   ', type: 'integer' }).success).toBe(false);
    expect(ContractField.safeParse({ name: 'x'.repeat(201), type: 'integer' }).success).toBe(false);
    expect(ContractField.safeParse({ name: 'x'.repeat(200), type: 'integer' }).success).toBe(true);
  });

  it.each(FIELD_TYPES)('accepts type %s', (type) => {
    expect(ContractField.parse({ name: 'f', type }).type).toBe(type);
  });

  it.each(['int', 'double', 'object', '', 'STRING'])('rejects type %j', (type) => {
    expect(ContractField.safeParse({ name: 'f', type }).success).toBe(false);
  });

  it('accepts allowedValues of strings and numbers, at most 1000', () => {
    expect(ContractField.parse({ name: 'c', type: 'string', allowedValues: ['DE', 1] }).allowedValues).toEqual(['DE', 1]);
    expect(ContractField.safeParse({ name: 'c', type: 'string', allowedValues: [true] }).success).toBe(false);
    expect(ContractField.safeParse({ name: 'c', type: 'integer', allowedValues: Array.from({ length: 1000 }, (_, i) => i) }).success).toBe(true);
    expect(ContractField.safeParse({ name: 'c', type: 'integer', allowedValues: Array.from({ length: 1001 }, (_, i) => i) }).success).toBe(false);
  });

  it('validates that range min does not exceed max (inclusive bounds, so equal is fine)', () => {
    expect(ContractField.safeParse({ name: 'age', type: 'integer', range: { min: 0, max: 120 } }).success).toBe(true);
    expect(ContractField.safeParse({ name: 'age', type: 'integer', range: { min: 5, max: 5 } }).success).toBe(true);
    expect(ContractField.safeParse({ name: 'age', type: 'integer', range: { min: 3 } }).success).toBe(true);
    expect(ContractField.safeParse({ name: 'age', type: 'integer', range: {} }).success).toBe(true);
    const error = ContractField.safeParse({ name: 'age', type: 'integer', range: { min: 10, max: 1 } }).error;
    expect(error?.issues).toEqual([expect.objectContaining({ message: 'min must not exceed max', path: ['range', 'max'] })]);
  });
});

describe('Contract', () => {
  it('defaults both sides to empty', () => {
    expect(Contract.parse({})).toEqual({ inputs: [], outputs: [] });
  });

  it('names the duplicate in the error path, on each side', () => {
    const result = Contract.safeParse({
      inputs: [
        { name: 'amount', type: 'integer' },
        { name: 'country', type: 'string' },
        { name: ' amount ', type: 'float' },
      ],
      outputs: [
        { name: 'score', type: 'float' },
        { name: 'score', type: 'float' },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['inputs', 2, 'name'], message: 'Duplicate field name "amount"' },
      { path: ['outputs', 1, 'name'], message: 'Duplicate field name "score"' },
    ]);
  });

  it('lets an input and an output share a name', () => {
    expect(Contract.safeParse({ inputs: [{ name: 'id', type: 'string' }], outputs: [{ name: 'id', type: 'string' }] }).success).toBe(true);
  });

  it('treats names case-sensitively', () => {
    expect(Contract.safeParse({ inputs: [{ name: 'id', type: 'string' }, { name: 'ID', type: 'string' }] }).success).toBe(true);
  });

  it('caps each side at 2000 fields', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'float' }));
    expect(Contract.safeParse({ inputs: many(2000) }).success).toBe(true);
    expect(Contract.safeParse({ inputs: many(2001) }).success).toBe(false);
    expect(Contract.safeParse({ outputs: many(2001) }).success).toBe(false);
  });
});

describe('diffContracts: no change', () => {
  it('is none for identical contracts', () => {
    const c = contract([field('amount', 'integer', { allowedValues: [1, 2], range: { min: 0 } })], [field('score')]);
    expect(diffContracts(c, structuredClone(c))).toEqual({ level: 'none', changes: [] });
  });

  it('is none for empty contracts', () => {
    expect(diffContracts(contract(), contract())).toEqual({ level: 'none', changes: [] });
  });

  it('ignores field order', () => {
    expect(diffContracts(contract([field('a'), field('b')], [field('x'), field('y')]), contract([field('b'), field('a')], [field('y'), field('x')])).level).toBe('none');
  });

  it('ignores allowedValues order and repeats', () => {
    expect(diffOne('input', field('c', 'string', { allowedValues: ['a', 'b'] }), field('c', 'string', { allowedValues: ['b', 'a', 'a'] })).changes).toEqual([]);
  });

  it('treats an empty range like no range', () => {
    expect(diffOne('input', field('x'), field('x', 'float', { range: {} })).changes).toEqual([]);
    expect(diffOne('output', field('x', 'float', { range: {} }), field('x')).changes).toEqual([]);
  });

  it('ignores `required` on outputs (it only means something to callers)', () => {
    expect(diffOne('output', field('score', 'float', { required: true }), field('score', 'float', { required: false })).changes).toEqual([]);
    expect(diffOne('output', field('score', 'float', { required: false }), field('score', 'float', { required: true })).changes).toEqual([]);
  });
});

describe('diffContracts: inputs (callers send them)', () => {
  it.each<[string, ContractField | null, ContractField | null, Omit<ContractChange, 'side' | 'field'>]>([
    ['removed', field('amount', 'integer'), null, { kind: 'removed', level: 'breaking', detail: 'input "amount" was removed' }],
    ['removed optional', field('amount', 'integer', { required: false }), null, { kind: 'removed', level: 'breaking', detail: 'input "amount" was removed' }],
    ['added as required', null, field('amount', 'integer'), { kind: 'added', level: 'breaking', detail: 'input "amount" was added as required' }],
    ['added as optional', null, field('amount', 'integer', { required: false }), { kind: 'added', level: 'compatible', detail: 'input "amount" was added as optional' }],
    ['optional → required', field('amount', 'integer', { required: false }), field('amount', 'integer'), { kind: 'now_required', level: 'breaking', detail: 'input "amount" is now required' }],
    ['required → optional', field('amount', 'integer'), field('amount', 'integer', { required: false }), { kind: 'now_optional', level: 'compatible', detail: 'input "amount" is now optional' }],
    ['integer → float (safe upcast)', field('amount', 'integer'), field('amount', 'float'), { kind: 'retyped', level: 'compatible', detail: 'input "amount" changed type from integer to float' }],
    ['float → integer', field('amount', 'float'), field('amount', 'integer'), { kind: 'retyped', level: 'breaking', detail: 'input "amount" changed type from float to integer' }],
    ['integer → string', field('amount', 'integer'), field('amount', 'string'), { kind: 'retyped', level: 'breaking', detail: 'input "amount" changed type from integer to string' }],
    ['becomes nullable', field('amount'), field('amount', 'float', { nullable: true }), { kind: 'nullability', level: 'compatible', detail: 'input "amount" now accepts null' }],
    ['becomes non-nullable', field('amount', 'float', { nullable: true }), field('amount'), { kind: 'nullability', level: 'breaking', detail: 'input "amount" no longer accepts null' }],
    ['allowed value removed', field('country', 'string', { allowedValues: ['DE', 'FR'] }), field('country', 'string', { allowedValues: ['DE'] }), { kind: 'allowed_values', level: 'breaking', detail: 'input "country" no longer allows "FR"' }],
    ['allowed value added', field('country', 'string', { allowedValues: ['DE'] }), field('country', 'string', { allowedValues: ['DE', 'FR'] }), { kind: 'allowed_values', level: 'compatible', detail: 'input "country" now also allows "FR"' }],
    ['allowed values appear', field('country', 'string'), field('country', 'string', { allowedValues: ['DE', 'FR'] }), { kind: 'allowed_values', level: 'breaking', detail: 'input "country" is now restricted to "DE", "FR"' }],
    ['allowed values vanish', field('country', 'string', { allowedValues: ['DE'] }), field('country', 'string'), { kind: 'allowed_values', level: 'compatible', detail: 'input "country" no longer restricts its values' }],
    ['allowed values swapped', field('country', 'string', { allowedValues: ['DE'] }), field('country', 'string', { allowedValues: ['FR'] }), { kind: 'allowed_values', level: 'breaking', detail: 'input "country" no longer allows "DE" and now also allows "FR"' }],
    ['allowed value changes type', field('tier', 'string', { allowedValues: [1] }), field('tier', 'string', { allowedValues: ['1'] }), { kind: 'allowed_values', level: 'breaking', detail: 'input "tier" no longer allows 1 and now also allows "1"' }],
    ['min raised', field('age', 'integer', { range: { min: 0, max: 120 } }), field('age', 'integer', { range: { min: 18, max: 120 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range narrowed from [0, 120] to [18, 120]' }],
    ['max lowered', field('age', 'integer', { range: { min: 0, max: 120 } }), field('age', 'integer', { range: { min: 0, max: 99 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range narrowed from [0, 120] to [0, 99]' }],
    ['min appears', field('age', 'integer', { range: { max: 120 } }), field('age', 'integer', { range: { min: 0, max: 120 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range narrowed from (−∞, 120] to [0, 120]' }],
    ['range appears', field('age', 'integer'), field('age', 'integer', { range: { min: 0, max: 120 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range narrowed from (−∞, ∞) to [0, 120]' }],
    ['min lowered', field('age', 'integer', { range: { min: 18 } }), field('age', 'integer', { range: { min: 0 } }), { kind: 'range', level: 'compatible', detail: 'input "age" range widened from [18, ∞) to [0, ∞)' }],
    ['max raised', field('age', 'integer', { range: { max: 99 } }), field('age', 'integer', { range: { max: 120 } }), { kind: 'range', level: 'compatible', detail: 'input "age" range widened from (−∞, 99] to (−∞, 120]' }],
    ['max vanishes', field('age', 'integer', { range: { min: 0, max: 99 } }), field('age', 'integer', { range: { min: 0 } }), { kind: 'range', level: 'compatible', detail: 'input "age" range widened from [0, 99] to [0, ∞)' }],
    ['range vanishes', field('age', 'integer', { range: { min: 0, max: 99 } }), field('age', 'integer'), { kind: 'range', level: 'compatible', detail: 'input "age" range widened from [0, 99] to (−∞, ∞)' }],
    ['range shifted up', field('age', 'integer', { range: { min: 0, max: 100 } }), field('age', 'integer', { range: { min: 10, max: 200 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range changed from [0, 100] to [10, 200]' }],
    ['range shifted down', field('age', 'integer', { range: { min: 10, max: 200 } }), field('age', 'integer', { range: { min: 0, max: 100 } }), { kind: 'range', level: 'breaking', detail: 'input "age" range changed from [10, 200] to [0, 100]' }],
  ])('%s', (_, before, after, expected) => {
    const diff = diffContracts(contract(before ? [before] : []), contract(after ? [after] : []));
    const name = (before ?? after)!.name;
    expect(diff.changes).toEqual([{ side: 'input', field: name, ...expected }]);
    expect(diff.level).toBe(expected.level);
  });
});

describe('diffContracts: outputs (consumers read them)', () => {
  it.each<[string, ContractField | null, ContractField | null, Omit<ContractChange, 'side' | 'field'>]>([
    ['removed', field('label', 'string'), null, { kind: 'removed', level: 'breaking', detail: 'output "label" was removed' }],
    ['added', null, field('label', 'string'), { kind: 'added', level: 'compatible', detail: 'output "label" was added' }],
    ['added, nullable', null, field('label', 'string', { nullable: true }), { kind: 'added', level: 'compatible', detail: 'output "label" was added' }],
    ['integer → float (consumers parse it)', field('score', 'integer'), field('score', 'float'), { kind: 'retyped', level: 'breaking', detail: 'output "score" changed type from integer to float' }],
    ['float → integer', field('score', 'float'), field('score', 'integer'), { kind: 'retyped', level: 'breaking', detail: 'output "score" changed type from float to integer' }],
    ['becomes nullable', field('score'), field('score', 'float', { nullable: true }), { kind: 'nullability', level: 'breaking', detail: 'output "score" may now be null' }],
    ['becomes non-nullable', field('score', 'float', { nullable: true }), field('score'), { kind: 'nullability', level: 'compatible', detail: 'output "score" can no longer be null' }],
    ['allowed value added', field('label', 'string', { allowedValues: ['fraud', 'ok'] }), field('label', 'string', { allowedValues: ['fraud', 'ok', 'review'] }), { kind: 'allowed_values', level: 'breaking', detail: 'output "label" now also allows "review"' }],
    ['allowed value removed', field('label', 'string', { allowedValues: ['fraud', 'ok', 'review'] }), field('label', 'string', { allowedValues: ['fraud', 'ok'] }), { kind: 'allowed_values', level: 'compatible', detail: 'output "label" no longer allows "review"' }],
    ['allowed values vanish', field('label', 'string', { allowedValues: ['fraud', 'ok'] }), field('label', 'string'), { kind: 'allowed_values', level: 'breaking', detail: 'output "label" no longer restricts its values' }],
    ['allowed values appear', field('label', 'string'), field('label', 'string', { allowedValues: ['fraud', 'ok'] }), { kind: 'allowed_values', level: 'compatible', detail: 'output "label" is now restricted to "fraud", "ok"' }],
    ['allowed values swapped', field('label', 'string', { allowedValues: ['a'] }), field('label', 'string', { allowedValues: ['b'] }), { kind: 'allowed_values', level: 'breaking', detail: 'output "label" no longer allows "a" and now also allows "b"' }],
    ['max raised', field('score', 'float', { range: { min: 0, max: 1 } }), field('score', 'float', { range: { min: 0, max: 100 } }), { kind: 'range', level: 'breaking', detail: 'output "score" range widened from [0, 1] to [0, 100]' }],
    ['min lowered', field('score', 'float', { range: { min: 0, max: 1 } }), field('score', 'float', { range: { min: -1, max: 1 } }), { kind: 'range', level: 'breaking', detail: 'output "score" range widened from [0, 1] to [-1, 1]' }],
    ['bound vanishes', field('score', 'float', { range: { min: 0, max: 1 } }), field('score', 'float', { range: { min: 0 } }), { kind: 'range', level: 'breaking', detail: 'output "score" range widened from [0, 1] to [0, ∞)' }],
    ['range vanishes', field('score', 'float', { range: { min: 0, max: 1 } }), field('score'), { kind: 'range', level: 'breaking', detail: 'output "score" range widened from [0, 1] to (−∞, ∞)' }],
    ['max lowered', field('score', 'float', { range: { min: 0, max: 100 } }), field('score', 'float', { range: { min: 0, max: 1 } }), { kind: 'range', level: 'compatible', detail: 'output "score" range narrowed from [0, 100] to [0, 1]' }],
    ['min raised', field('score', 'float', { range: { min: -1, max: 1 } }), field('score', 'float', { range: { min: 0, max: 1 } }), { kind: 'range', level: 'compatible', detail: 'output "score" range narrowed from [-1, 1] to [0, 1]' }],
    ['range appears', field('score'), field('score', 'float', { range: { min: 0, max: 1 } }), { kind: 'range', level: 'compatible', detail: 'output "score" range narrowed from (−∞, ∞) to [0, 1]' }],
    ['range shifted', field('score', 'float', { range: { min: 0, max: 1 } }), field('score', 'float', { range: { min: 0.5, max: 2 } }), { kind: 'range', level: 'breaking', detail: 'output "score" range changed from [0, 1] to [0.5, 2]' }],
  ])('%s', (_, before, after, expected) => {
    const diff = diffContracts(contract([], before ? [before] : []), contract([], after ? [after] : []));
    const name = (before ?? after)!.name;
    expect(diff.changes).toEqual([{ side: 'output', field: name, ...expected }]);
    expect(diff.level).toBe(expected.level);
  });
});

describe('diffContracts: every type change', () => {
  const pairs = FIELD_TYPES.flatMap((from) => FIELD_TYPES.filter((to) => to !== from).map((to) => [from, to] as const));

  it('covers all 20 ordered pairs', () => {
    expect(pairs).toHaveLength(20);
  });

  it.each(pairs)('input %s → %s is breaking unless it is integer → float', (from, to) => {
    const [change] = diffOne('input', field('x', from), field('x', to)).changes;
    expect(change?.kind).toBe('retyped');
    expect(change?.level).toBe(from === 'integer' && to === 'float' ? 'compatible' : 'breaking');
  });

  it.each(pairs)('output %s → %s is breaking', (from, to) => {
    const [change] = diffOne('output', field('x', from), field('x', to)).changes;
    expect(change).toMatchObject({ kind: 'retyped', level: 'breaking' });
  });
});

describe('diffContracts: combining and ordering', () => {
  it('lists several changes of one field in a fixed order', () => {
    const before = field('amount', 'integer', { required: false, nullable: true, allowedValues: [1, 2], range: { max: 10 } });
    const after = field('amount', 'string', { required: true, nullable: false, allowedValues: [1], range: { max: 5 } });
    expect(diffOne('input', before, after).changes.map((c) => c.kind)).toEqual(['retyped', 'now_required', 'nullability', 'allowed_values', 'range']);
  });

  it('reports a compatible retype next to a breaking change of the same field', () => {
    const diff = diffOne('input', field('amount', 'integer', { nullable: true }), field('amount', 'float'));
    expect(diff.changes.map((c) => [c.kind, c.level])).toEqual([
      ['retyped', 'compatible'],
      ['nullability', 'breaking'],
    ]);
    expect(diff.level).toBe('breaking');
  });

  it('lists inputs before outputs, each by field name in code-unit order, whatever the input order', () => {
    const before = contract([field('zeta'), field('alpha'), field('Beta')], [field('y'), field('b')]);
    const after = contract([], [field('a'), field('z')]);
    const diff = diffContracts(before, after);
    expect(diff.changes.map((c) => `${c.side}:${c.field}:${c.kind}`)).toEqual([
      'input:Beta:removed',
      'input:alpha:removed',
      'input:zeta:removed',
      'output:a:added',
      'output:b:removed',
      'output:y:removed',
      'output:z:added',
    ]);
  });

  it('matches fields by exact name: a renamed field is a removal plus an addition', () => {
    const diff = diffContracts(contract([field('amount')]), contract([field('Amount', 'float', { required: false })]));
    expect(diff.changes.map((c) => [c.field, c.kind, c.level])).toEqual([
      ['Amount', 'added', 'compatible'],
      ['amount', 'removed', 'breaking'],
    ]);
  });

  it('is compatible when every change is compatible', () => {
    const diff = diffContracts(contract([field('a')], [field('s')]), contract([field('a', 'float', { nullable: true }), field('b', 'float', { required: false })], [field('s'), field('t')]));
    expect(diff.changes.map((c) => c.level)).toEqual(['compatible', 'compatible', 'compatible']);
    expect(diff.level).toBe('compatible');
  });

  it('takes the worst level across both sides', () => {
    const diff = diffContracts(contract([field('a')], [field('s')]), contract([field('a'), field('b', 'float', { required: false })], []));
    expect(diff.changes.map((c) => c.level)).toEqual(['compatible', 'breaking']);
    expect(diff.level).toBe('breaking');
  });

  it('is deterministic', () => {
    const before = contract([field('b'), field('a', 'integer')], [field('x')]);
    const after = contract([field('a', 'string'), field('c')], [field('y')]);
    expect(diffContracts(before, after)).toEqual(diffContracts(structuredClone(before), structuredClone(after)));
  });

  it('abbreviates long value lists', () => {
    const before = field('code', 'integer', { allowedValues: [1, 2, 3, 4, 5, 6, 7, 8] });
    const after = field('code', 'integer', { allowedValues: [1] });
    expect(diffOne('input', before, after).changes[0]?.detail).toBe('input "code" no longer allows 2, 3, 4, 5, 6 and 2 more');
  });
});

describe('requiredBump', () => {
  it.each([
    ['breaking', 'major'],
    ['compatible', 'minor'],
    ['none', 'patch'],
  ] as const)('%s → %s', (level, bump) => {
    expect(requiredBump(level)).toBe(bump);
  });
});

describe('checkBumpCoversChange', () => {
  const breaking = diffContracts(
    contract([field('amount', 'integer'), field('region', 'string')], [field('label', 'string'), field('score')]),
    contract([field('amount', 'string'), field('region', 'string', { required: false })], [field('score'), field('extra')]),
  );
  const compatible = diffContracts(contract([field('amount')], [field('score')]), contract([field('amount'), field('region', 'string', { required: false })], [field('score'), field('extra')]));
  const none = diffContracts(contract([field('amount')]), contract([field('amount')]));

  it('fixtures have the levels the tests assume', () => {
    expect(breaking.level).toBe('breaking');
    expect(breaking.changes.map((c) => c.level)).toEqual(['breaking', 'compatible', 'compatible', 'breaking']);
    expect(compatible.level).toBe('compatible');
    expect(none.level).toBe('none');
  });

  it('names the breaking changes, the suggested version and the actual bump', () => {
    expect(checkBumpCoversChange(v('1.4.0'), v('1.5.0'), breaking)).toEqual({
      ok: false,
      required: 'major',
      actual: 'minor',
      message: 'Breaking contract change needs a MAJOR bump (1.4.0 → 2.0.0), got a minor bump: input "amount" changed type from integer to string; output "label" was removed',
      fields: ['inputs.amount', 'outputs.label'],
    });
  });

  const diffs = { breaking, compatible, none };

  it.each([
    ['1.4.0', '2.0.0', 'breaking', true],
    ['1.4.0', '3.0.0', 'breaking', true],
    ['1.4.0', '2.0.0-rc.1', 'breaking', true],
    ['1.4.0-rc.1', '2.0.0', 'breaking', true],
    ['1.4.0', '1.5.0', 'breaking', false],
    ['1.4.0', '1.4.1', 'breaking', false],
    ['1.4.0', '1.4.0', 'breaking', false],
    ['1.4.0', '1.5.0', 'compatible', true],
    ['1.4.0', '2.0.0', 'compatible', true],
    ['1.4.0', '1.4.1', 'compatible', false],
    ['1.4.0', '1.4.0', 'compatible', false],
    ['1.4.0', '1.4.1', 'none', true],
    ['1.4.0', '1.4.0', 'none', true],
    ['1.4.0-rc.1', '1.4.0', 'none', true],
    ['1.4.0', '2.0.0', 'none', true],
    // Initial development (semver §4): a minor bump may break.
    ['0.4.0', '0.5.0', 'breaking', true],
    ['0.4.0', '1.0.0', 'breaking', true],
    ['0.4.0', '0.4.1', 'breaking', false],
    ['0.0.3', '0.1.0', 'breaking', true],
    ['0.0.3', '0.0.4', 'breaking', false],
    ['0.4.0', '0.5.0', 'compatible', true],
    ['0.4.0', '0.4.1', 'compatible', false],
  ] as const)('%s → %s with a %s change: ok = %s', (previous, next, level, ok) => {
    expect(checkBumpCoversChange(v(previous), v(next), diffs[level]).ok).toBe(ok);
  });

  it('needs only a minor bump for a breaking change while the major version is 0', () => {
    expect(checkBumpCoversChange(v('0.4.2'), v('0.4.3'), breaking)).toEqual({
      ok: false,
      required: 'minor',
      actual: 'patch',
      message:
        'Breaking contract change needs at least a MINOR bump while the major version is 0 (0.4.2 → 0.5.0), got a patch bump: input "amount" changed type from integer to string; output "label" was removed',
      fields: ['inputs.amount', 'outputs.label'],
    });
  });

  it('asks a compatible change for a minor bump and lists the compatible changes', () => {
    expect(checkBumpCoversChange(v('1.4.0'), v('1.4.1'), compatible)).toEqual({
      ok: false,
      required: 'minor',
      actual: 'patch',
      message: 'Compatible contract change needs a MINOR bump (1.4.0 → 1.5.0), got a patch bump: input "region" was added as optional; output "extra" was added',
      fields: ['inputs.region', 'outputs.extra'],
    });
  });

  it('says so when the core did not move at all', () => {
    const verdict = checkBumpCoversChange(v('1.4.0-rc.1'), v('1.4.0'), breaking);
    expect(verdict).toMatchObject({ ok: false, required: 'major', actual: 'none' });
    expect(verdict.ok === false && verdict.message).toContain('(1.4.0 → 2.0.0), got the same version core: ');
  });

  it('lists a field once even when it changed in several breaking ways', () => {
    const diff = diffContracts(contract([field('amount', 'integer', { nullable: true })]), contract([field('amount', 'string')]));
    const verdict = checkBumpCoversChange(v('2.1.0'), v('2.2.0'), diff);
    expect(verdict.ok === false && verdict.fields).toEqual(['inputs.amount']);
    expect(verdict.ok === false && verdict.message).toBe(
      'Breaking contract change needs a MAJOR bump (2.1.0 → 3.0.0), got a minor bump: input "amount" changed type from integer to string; input "amount" no longer accepts null',
    );
  });

  it('throws when the next version is lower', () => {
    expect(() => checkBumpCoversChange(v('1.4.0'), v('1.3.9'), none)).toThrow(RangeError);
  });
});
