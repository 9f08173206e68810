'use client';

import { Badge } from '@/components/ui/badge';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormMessage } from '@/components/ui/field';
import type { PublicUser } from '@/lib/services/users/public-user';
import { updateUserAction } from '../actions';
import { RoleCheckboxes } from './role-checkboxes';

/** One user: roles editable in place by admins; read-only for everyone else. */
export function UserRow({ user, canManage }: { user: PublicUser; canManage: boolean }) {
  const { state, pending, formRef, onSubmit } = useFormAction(updateUserAction);
  return (
    <li className="py-2.5" data-testid={`user-${user.email}`}>
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="rolesSubmitted" value="1" />
        <div className="min-w-52">
          <p className="font-medium">
            {user.name} {!user.active && <Badge tone="neutral">deactivated</Badge>} {user.sso && <Badge>SSO</Badge>}
          </p>
          <p className="text-xs text-zinc-500">{user.email}</p>
        </div>
        <RoleCheckboxes name="roles" selected={user.roles} idPrefix={`roles-${user.id}`} disabled={!canManage || pending} />
        {canManage && (
          <div className="ml-auto flex gap-2">
            <button type="submit" className={buttonStyles.secondary} disabled={pending}>
              {pending ? 'Saving…' : 'Save roles'}
            </button>
            <button type="submit" name="active" value={user.active ? 'false' : 'true'} className={buttonStyles.secondary} disabled={pending}>
              {user.active ? 'Deactivate' : 'Reactivate'}
            </button>
          </div>
        )}
      </form>
      <FormMessage state={state} />
    </li>
  );
}
