import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader, Panel } from '@/components/ui/panel';
import { getDb } from '@/db';
import { requireSessionActor } from '@/lib/auth/session';
import { can, whyNot } from '@/lib/domain/roles';
import { listEnvironmentPolicies } from '@/lib/queries/environments';
import { getMlflowIntegration } from '@/lib/queries/integrations';
import { listModelNames } from '@/lib/queries/models';
import { listApiKeys, listUsers } from '@/lib/queries/people';
import { listWebhookDeliveries, listWebhooks } from '@/lib/queries/webhooks';
import { CreateWebhookForm, WebhookRow } from './_components/webhooks';
import { PolicyForm } from './_components/policy-form';
import { ProtectionForm } from './_components/protection-form';
import { AnalysisForm } from './_components/analysis-form';
import { MlflowPanel } from './_components/mlflow-panel';
import { ApiKeyRow, CreateApiKeyForm } from './_components/api-keys';
import { AddUserForm } from './_components/user-form';
import { UserRow } from './_components/user-row';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const actor = await requireSessionActor();
  const db = await getDb();
  const canManageUsers = can(actor, 'user.manage');
  const canManageKeys = can(actor, 'api_key.manage');
  const canManageEnvironments = can(actor, 'environment.manage');
  const [users, keys, environments, modelNames, mlflow] = await Promise.all([
    listUsers({ actor, db }),
    canManageKeys ? listApiKeys({ actor, db }) : Promise.resolve(null),
    listEnvironmentPolicies({ actor, db }),
    listModelNames({ actor, db }),
    getMlflowIntegration({ actor, db }),
  ]);
  const hooks = can(actor, 'webhook.manage') ? await listWebhooks({ actor, db }) : null;
  const deliveries = hooks ? await Promise.all(hooks.map((h) => listWebhookDeliveries({ actor, db }, h.id))) : [];
  return (
    <>
      <PageHeader title="Settings" description="People and their roles, the API keys machines use, and each environment's gate policy." />
      <Panel title="Users and roles" actions={<AddUserForm allowed={canManageUsers} reason={whyNot('user.manage')} />}>
        <p className="mb-2 text-xs text-zinc-500">
          Everyone is a viewer. ML leads register and release models, reviewers approve, on-call rolls back, admins manage everything.
        </p>
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {users.map((user) => (
            <UserRow key={user.id} user={user} canManage={canManageUsers} />
          ))}
        </ul>
      </Panel>
      <Panel title="API keys" className="mt-4">
        {keys === null ? (
          <p className="text-zinc-600 dark:text-zinc-400">{whyNot('api_key.manage')} to see and manage API keys.</p>
        ) : (
          <>
            <CreateApiKeyForm />
            {keys.length === 0 ? (
              <EmptyState title="No API keys yet">Create one for CI to register versions and post gate results.</EmptyState>
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {keys.map((key) => (
                  <ApiKeyRow key={key.id} apiKey={key} />
                ))}
              </ul>
            )}
          </>
        )}
      </Panel>
      <Panel title="Webhooks" className="mt-4">
        {hooks === null ? (
          <p className="text-zinc-600 dark:text-zinc-400">{whyNot('webhook.manage', actor)} to see and manage webhooks.</p>
        ) : (
          <>
            <p className="mb-2 text-xs text-zinc-500">
              Release events are posted as JSON, signed in <code>X-Flightdeck-Signature: t=…,v1=HMAC-SHA256(secret, t.body)</code>, retried with exponential backoff for up to 8 attempts.
            </p>
            <CreateWebhookForm />
            {hooks.length === 0 ? (
              <EmptyState title="No webhooks yet">Subscribe your router, chat or incident tool to rollbacks and promotions.</EmptyState>
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {hooks.map((h, i) => (
                  <WebhookRow key={h.id} webhook={h} deliveries={deliveries[i] ?? []} />
                ))}
              </ul>
            )}
          </>
        )}
      </Panel>
      <MlflowPanel integration={mlflow} canSync={can(actor, 'version.register')} reason={whyNot('version.register', actor)} />
      <Panel title="Monitoring: drift thresholds and SLOs per model" className="mt-4">
        <p className="mb-2 text-xs text-zinc-500">Each model's drift thresholds, per-feature methods and SLOs are edited on its Drift and SLOs page (ML leads); what a critical alert does to a release in flight is set per environment below.</p>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {modelNames.map((m) => (
            <li key={m.name}>
              <Link href={`/models/${m.name}/drift`} className="underline">
                {m.name}
              </Link>{' '}
              <span className="text-xs text-zinc-500">{m.ownerTeam}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Environments: gate policies and protection rules" className="mt-4">
        <p className="text-xs text-zinc-500">
          A version is deployable to an environment when every required check has passed and its numbers meet the thresholds, compared with the version running there
          (MLflow MetricThreshold semantics: threshold, minAbsoluteChange, minRelativeChange, greaterIsBetter; negative changes are tolerated regressions).
        </p>
        <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {environments.map((env) => (
            <div key={env.id}>
              <PolicyForm environment={env.name} policy={env.policy} policyVersion={env.policyVersion} canEdit={canManageEnvironments} reason={whyNot('environment.manage', actor)} />
              <ProtectionForm environment={env.name} protection={env.protection} canEdit={canManageEnvironments} reason={whyNot('environment.manage', actor)} />
              <AnalysisForm environment={env.name} intervalSeconds={env.analysis.intervalSeconds} config={env.analysis.config} canEdit={canManageEnvironments} reason={whyNot('environment.manage', actor)} />
            </div>
          ))}
        </div>
      </Panel>
    </>
  );
}
