import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Answer, errorAnswer, isAnswer, json, toResponse } from '@/lib/http/respond';
import { AppError } from '@/lib/services/errors';

describe('API answers as plain data (lib/http/respond.ts)', () => {
  it('json writes what Response.json writes: the same text, status and content type', async () => {
    for (const data of [{ a: 1, b: [true, null, 'x'] }, [], 'text', 0, null, { nested: { é: '✓' } }]) {
      const answer = json(data, { status: 201, headers: { etag: '"1"' } });
      const reference = Response.json(data, { status: 201, headers: { etag: '"1"' } });
      expect(answer.body).toBe(await reference.text());
      expect(answer.status).toBe(201);
      expect(answer.headers).toEqual(Object.fromEntries(reference.headers));
    }
    expect(json({ x: 1 }).status).toBe(200);
    expect(json(undefined).body).toBe('null');
  });

  it('recognises an answer from another copy of the module by its mark, and nothing else', () => {
    expect(isAnswer(new Answer(204, {}, null))).toBe(true);
    expect(isAnswer({ status: 200, headers: {}, body: '{}', [Symbol.for('flightdeck.answer')]: true })).toBe(true);
    for (const other of [{ status: 200, headers: {}, body: '{}' }, { data: 1 }, Response.json({}), null, undefined, 'answer', 200])
      expect(isAnswer(other)).toBe(false);
  });

  it('turns an answer into a Response for Next.js, and passes a Response through untouched', async () => {
    const response = toResponse(new Answer(304, { etag: '"abc"' }, null));
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe('"abc"');
    expect(await response.text()).toBe('');
    const yaml = toResponse(new Answer(200, { 'content-type': 'text/yaml; charset=utf-8' }, 'a: 1\n'));
    expect(await yaml.text()).toBe('a: 1\n');
    const own = new Response('stream', { status: 202 });
    expect(toResponse(own)).toBe(own);
  });

  it('maps errors to the one error shape, with Retry-After where there is one', () => {
    const limited = errorAnswer(new AppError('rate_limited', 'Slow down.', { retryAfterSeconds: 3 }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(JSON.parse(limited.body!)).toEqual({ error: { code: 'rate_limited', message: 'Slow down.', details: { retryAfterSeconds: 3 } } });
    const down = errorAnswer(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect([down.status, down.headers['retry-after']]).toEqual([503, '5']);
    expect(errorAnswer(new ZodError([])).status).toBe(422);
    const internal = errorAnswer(new Error('select * from secrets'));
    expect(internal.status).toBe(500);
    expect(internal.body).not.toContain('secrets');
  });
});
