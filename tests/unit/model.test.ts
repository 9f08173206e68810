import { describe, expect, it } from 'vitest';
import { CreateModelInput, ModelName } from '@/lib/domain/model';

const FORMAT = 'Lower-case letters, digits and dashes; start and end with a letter or digit';

describe('ModelName', () => {
  it.each([
    ['ab', 'ab'],
    ['fraud-scorer', 'fraud-scorer'],
    ['churn-v2', 'churn-v2'],
    ['0day', '0day'],
    ['a1', 'a1'],
    ['a--b', 'a--b'],
    ['  ranker  ', 'ranker'],
    ['x'.repeat(63), 'x'.repeat(63)],
  ])('accepts %j as %j', (input, output) => {
    expect(ModelName.parse(input)).toBe(output);
  });

  it.each([
    ['a', 'At least 2 characters'],
    ['', 'At least 2 characters'],
    [' a ', 'At least 2 characters'],
    ['x'.repeat(64), 'At most 63 characters'],
  ])('rejects %j: %s', (input, message) => {
    expect(ModelName.safeParse(input).error?.issues.map((i) => i.message)).toContain(message);
  });

  it.each(['Fraud', 'FRAUD-SCORER', 'fraud_scorer', 'fraud.v2', 'fraud scorer', '-fraud', 'fraud-', '--', 'fraud/v2', 'modèle', 'a\nb'])(
    'rejects %j as not URL and DNS friendly',
    (input) => {
      const result = ModelName.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toContain(FORMAT);
    },
  );

  it('does not lower-case for the user: the name must already be canonical', () => {
    expect(ModelName.safeParse('Ranker').success).toBe(false);
  });
});

describe('CreateModelInput', () => {
  it('fills in an empty description and leaves the serving service unset', () => {
    expect(CreateModelInput.parse({ name: 'fraud-scorer', ownerTeam: 'risk' })).toEqual({
      name: 'fraud-scorer',
      ownerTeam: 'risk',
      description: '',
    });
  });

  it('trims every text field', () => {
    expect(
      CreateModelInput.parse({ name: ' fraud-scorer ', ownerTeam: '  risk  ', description: '  Scores card payments.\n', servingService: ' fraud-svc ' }),
    ).toEqual({ name: 'fraud-scorer', ownerTeam: 'risk', description: 'Scores card payments.', servingService: 'fraud-svc' });
  });

  it('requires an owner team', () => {
    const result = CreateModelInput.safeParse({ name: 'fraud-scorer', ownerTeam: '   ' });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['ownerTeam'], message: 'Required' })]);
    expect(CreateModelInput.safeParse({ name: 'fraud-scorer' }).error?.issues.map((i) => i.path)).toEqual([['ownerTeam']]);
  });

  it('limits the owner team to 100 characters', () => {
    expect(CreateModelInput.safeParse({ name: 'ab', ownerTeam: 't'.repeat(100) }).success).toBe(true);
    expect(CreateModelInput.safeParse({ name: 'ab', ownerTeam: 't'.repeat(101) }).error?.issues[0]?.message).toBe('At most 100 characters');
  });

  it('limits the description to 2,000 characters', () => {
    expect(CreateModelInput.safeParse({ name: 'ab', ownerTeam: 't', description: 'd'.repeat(2000) }).success).toBe(true);
    expect(CreateModelInput.safeParse({ name: 'ab', ownerTeam: 't', description: 'd'.repeat(2001) }).error?.issues[0]).toMatchObject({
      path: ['description'],
      message: 'At most 2,000 characters',
    });
  });

  it('holds the serving service to the model-name rules', () => {
    expect(CreateModelInput.safeParse({ name: 'ab', ownerTeam: 't', servingService: 'Fraud_Svc' }).error?.issues[0]).toMatchObject({
      path: ['servingService'],
      message: FORMAT,
    });
  });

  it('names the name field when it is wrong', () => {
    expect(CreateModelInput.safeParse({ name: 'Bad Name', ownerTeam: 't' }).error?.issues[0]).toMatchObject({ path: ['name'], message: FORMAT });
  });

  it('drops fields it does not know', () => {
    expect(CreateModelInput.parse({ name: 'ab', ownerTeam: 't', id: 'x', createdBy: 'me' })).not.toHaveProperty('createdBy');
  });
});
