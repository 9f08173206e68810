import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Actor } from '@/lib/domain/roles';
import { createModel, updateMetricsSource } from '@/lib/services';
import { AppError } from '@/lib/services/errors';
import { openTestDatabase, targets } from '../support/test-db';
import { auditOf, rowCounts, signedInKey, signedInUser, unique } from '../support/fixtures';

describe.each(targets)('createModel on $name', ({ name }) => {
  let handle: DbHandle;
  let lead: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    lead = await signedInUser(handle.db, ['ml_lead']);
  });
  afterAll(async () => handle?.close());

  const modelName = () => `fraud-${unique()}`;

  it('stores the model and audits it with the actor and the new row', async () => {
    const at = new Date('2025-03-01T10:00:00.123Z');
    const name = modelName();
    const created = await createModel({ actor: lead, db: handle.db, now: at, request: { via: 'ui', requestId: 'req-1' } }, { name: `  ${name} `, ownerTeam: ' risk-ml ' });

    const [row] = await handle.db.select().from(models).where(eq(models.name, name));
    expect(row).toMatchObject({ id: created.id, name, ownerTeam: 'risk-ml', description: '', servingService: name });

    const events = await auditOf(handle.db, created.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'model.create',
      actorType: 'user',
      actorId: lead.id,
      actorName: lead.name,
      targetType: 'model',
      before: null,
      after: { id: created.id, name, ownerTeam: 'risk-ml', servingService: name },
      metadata: { via: 'ui', requestId: 'req-1' },
    });
    expect(events[0]!.occurredAt.toISOString()).toBe(at.toISOString());
  });

  it('keeps an explicit serving service name', async () => {
    const created = await createModel({ actor: lead, db: handle.db }, { name: modelName(), ownerTeam: 'search', servingService: 'ranker-svc' });
    expect(created.servingService).toBe('ranker-svc');
  });

  it('refuses a taken name as a conflict on the name field and stores nothing', async () => {
    const name = modelName();
    await createModel({ actor: lead, db: handle.db }, { name, ownerTeam: 'risk-ml' });
    const before = await rowCounts(handle.db);

    const error = await createModel({ actor: lead, db: handle.db }, { name, ownerTeam: 'another-team' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining(name), details: { fields: { name: ['Already taken'] } } });
    expect(await rowCounts(handle.db)).toEqual(before);
  });

  it.each(['Fraud Detector', 'x', '-leading-dash', 'trailing-dash-', 'a'.repeat(64), 'under_score'])('refuses the name %j with a field error and stores nothing', async (name) => {
    const before = await rowCounts(handle.db);
    const error = await createModel({ actor: lead, db: handle.db }, { name, ownerTeam: 'risk-ml' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid', details: { fields: { name: [expect.any(String)] } } });
    expect((error as AppError).details!.fields).not.toHaveProperty('ownerTeam');
    expect(await rowCounts(handle.db)).toEqual(before);
  });

  it('reports every invalid field at once', async () => {
    const error = await createModel({ actor: lead, db: handle.db }, { name: 'Bad Name', ownerTeam: '   ', servingService: 'Bad Service' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    expect(Object.keys((error as AppError).details!.fields as object).sort()).toEqual(['name', 'ownerTeam', 'servingService']);
  });

  it('lets exactly one of several concurrent creates of one name win', async () => {
    const name = modelName();
    const before = await rowCounts(handle.db);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => createModel({ actor: lead, db: handle.db }, { name, ownerTeam: 'risk-ml' })));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    const after = await rowCounts(handle.db);
    expect(after.models).toBe(before.models + 1);
    expect(after.auditEvents).toBe(before.auditEvents + 1);
  });

  it('accepts an ML-lead API key with the registry scope and audits it as the key', async () => {
    const key = await signedInKey(handle.db, ['ml_lead'], ['registry']);
    const created = await createModel({ actor: key, db: handle.db }, { name: modelName(), ownerTeam: 'ci' });
    const [event] = await auditOf(handle.db, created.id);
    expect(event).toMatchObject({ action: 'model.create', actorType: 'api_key', actorId: key.id, actorName: key.name });
  });

  it('refuses an ML-lead API key with only the read scope and stores nothing', async () => {
    const key = await signedInKey(handle.db, ['ml_lead'], ['read']);
    const before = await rowCounts(handle.db);
    await expect(createModel({ actor: key, db: handle.db }, { name: modelName(), ownerTeam: 'ci' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await rowCounts(handle.db)).toEqual(before);
  });

  it('refuses a registry-scoped API key whose roles do not include ML lead', async () => {
    const key = await signedInKey(handle.db, ['reviewer'], ['registry']);
    await expect(createModel({ actor: key, db: handle.db }, { name: modelName(), ownerTeam: 'ci' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe.each(targets)('updateMetricsSource on $name', ({ name }) => {
  let handle: DbHandle;
  let lead: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    lead = await signedInUser(handle.db, ['ml_lead']);
  });
  afterAll(async () => handle?.close());

  const newModel = async () => createModel({ actor: lead, db: handle.db }, { name: `fraud-${unique()}`, ownerTeam: 'risk-ml' });
  const stored = async (id: string) => (await handle.db.select({ source: models.metricsSource }).from(models).where(eq(models.id, id)))[0]!.source;

  it('stores the preset, answers the PromQL it will run, and audits before and after', async () => {
    const model = await newModel();
    const result = await updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: { preset: 'bentoml', versionLabel: 'bento_version' } });
    expect(result).toMatchObject({ changed: true, source: { preset: 'bentoml', versionLabel: 'bento_version' } });
    expect(result.queries!.requests).toBe('sum(increase(bentoml_service_request_total{service_name="{{service}}",bento_version="{{version}}"}[{{interval}}]))');
    expect(await stored(model.id)).toEqual({ preset: 'bentoml', versionLabel: 'bento_version' });
    const events = (await auditOf(handle.db, model.id)).filter((e) => e.action === 'model.metrics_source.update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: lead.id, before: { source: null }, after: { source: { preset: 'bentoml', versionLabel: 'bento_version' } } });
  });

  it('the same source again changes and audits nothing; null goes back to the environment’s templates', async () => {
    const model = await newModel();
    await updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: { preset: 'triton' } });
    const before = await rowCounts(handle.db);
    await expect(updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: { preset: 'triton' } })).resolves.toMatchObject({ changed: false });
    expect(await rowCounts(handle.db)).toEqual(before);
    await expect(updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: null })).resolves.toEqual({ changed: true, source: null, queries: null });
    expect(await stored(model.id)).toBeNull();
  });

  it('refuses a bad label or template naming the field, an unknown model, and a viewer; stores nothing', async () => {
    const model = await newModel();
    const before = await rowCounts(handle.db);
    await expect(updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: { preset: 'triton', versionLabel: 'app-version' } })).rejects.toMatchObject({
      code: 'invalid',
      details: { fields: { 'source.versionLabel': [expect.stringMatching(/Prometheus label name/)] } },
    });
    await expect(updateMetricsSource({ actor: lead, db: handle.db }, { model: model.name, source: { preset: 'seldon' } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(updateMetricsSource({ actor: lead, db: handle.db }, { model: 'no-such-model', source: { preset: 'triton' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await rowCounts(handle.db)).toEqual(before);
    const viewer = await signedInUser(handle.db, ['viewer']);
    const afterViewer = await rowCounts(handle.db);
    await expect(updateMetricsSource({ actor: viewer, db: handle.db }, { model: model.name, source: { preset: 'triton' } })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await rowCounts(handle.db)).toEqual(afterViewer);
    expect(await stored(model.id)).toBeNull();
  });
});
