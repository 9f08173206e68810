'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { createApiKey, createUser, createWebhook, revokeApiKey, updateAnalysis, updatePolicy, updateProtection, updateUser, updateWebhook } from '@/lib/services';
import { invalid } from '@/lib/services/errors';

// Thin adapters: FormData → use-case input. Authorisation, validation and audit live in the use case.

export async function createUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await runAction(
    (caller) =>
      createUser(caller, {
        email: form.get('email'),
        name: form.get('name'),
        password: form.get('password') || undefined,
        roles: form.getAll('roles'),
      }),
    (user) => `${user.name} can now sign in.`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function updateUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const active = form.get('active');
  const state = await runAction(
    (caller) =>
      updateUser(caller, {
        userId: form.get('userId'),
        ...(form.has('rolesSubmitted') ? { roles: form.getAll('roles') } : {}),
        ...(active !== null ? { active: active === 'true' } : {}),
      }),
    (user) => `${user.name} updated.`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function createApiKeyAction(_prev: ActionState, form: FormData): Promise<ActionState<{ secret: string; name: string }>> {
  const days = form.get('expiresInDays');
  const state = await runAction(
    (caller) =>
      createApiKey(caller, {
        name: form.get('name'),
        roles: form.getAll('roles'),
        scopes: form.getAll('scopes'),
        expiresInDays: days ? Number(days) : undefined,
      }),
    (key) => `Key ${key.name} created. Copy it now: it will not be shown again.`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  // The secret goes back to the admin's browser exactly once.
  return { ...state, result: state.result ? { secret: state.result.secret, name: state.result.name } : undefined };
}

export async function revokeApiKeyAction(apiKeyId: string): Promise<ActionState> {
  const state = await runAction((caller) => revokeApiKey(caller, { apiKeyId }), (key) => `Key ${key.name} revoked.`);
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function updatePolicyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const environment = String(form.get('environment') ?? '');
  const state = await runAction(
    (caller) => {
      let thresholds: unknown;
      try {
        thresholds = JSON.parse(String(form.get('thresholds') || '{}'));
      } catch {
        throw invalid('Some fields are not valid.', { 'policy.thresholds': ['Not valid JSON'] });
      }
      return updatePolicy(caller, { environment, policy: { requiredChecks: form.getAll('requiredChecks'), thresholds } });
    },
    (env) => `Policy for ${env.name} saved (version ${env.policyVersion}).`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function updateProtectionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const environment = String(form.get('environment') ?? '');
  const state = await runAction(
    (caller) => {
      const json = (field: string, fallback: unknown) => {
        const text = String(form.get(field) ?? '').trim();
        if (!text) return fallback;
        try {
          return JSON.parse(text);
        } catch {
          throw invalid('Some fields are not valid.', { [`protection.${field}`]: ['Not valid JSON'] });
        }
      };
      return updateProtection(caller, {
        environment,
        protection: {
          requiredApprovals: Number(form.get('requiredApprovals')),
          approvalTtlHours: Number(form.get('approvalTtlHours')),
          defaultPlan: json('defaultPlan', undefined),
          freezeWindows: json('freezeWindows', []),
          alertGate: form.get('alertGate') ?? 'none',
        },
      });
    },
    (env) => `Protection rules for ${env.name} saved (policy version ${env.policyVersion}).`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function createWebhookAction(_prev: ActionState<{ secret: string }>, form: FormData): Promise<ActionState<{ secret: string }>> {
  const state = await runAction(
    (caller) => createWebhook(caller, { url: form.get('url'), events: form.getAll('events'), format: form.get('format') ?? undefined }),
    () => 'Webhook created. Copy its signing secret now: it will not be shown again.',
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: state.result ? { secret: state.result.secret } : undefined };
}

export async function setWebhookActiveAction(webhookId: string, active: boolean): Promise<ActionState> {
  const state = await runAction((caller) => updateWebhook(caller, { webhookId, active }), () => (active ? 'Webhook enabled.' : 'Webhook disabled.'));
  revalidatePath('/settings');
  return { ...state, result: undefined };
}

export async function updateAnalysisAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const environment = String(form.get('environment') ?? '');
  const state = await runAction(
    (caller) => {
      let config: unknown;
      try {
        config = JSON.parse(String(form.get('config') || '{}'));
      } catch {
        throw invalid('Some fields are not valid.', { config: ['Not valid JSON'] });
      }
      return updateAnalysis(caller, { environment, intervalSeconds: Number(form.get('intervalSeconds')), config });
    },
    (env) => `Canary analysis for ${env.name} saved: every ${env.analysisIntervalSeconds} s.`,
  );
  if (state.status === 'ok') revalidatePath('/settings');
  return { ...state, result: undefined };
}
