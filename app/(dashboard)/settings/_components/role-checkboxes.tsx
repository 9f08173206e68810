import { ROLE_LABELS, ROLES } from '@/lib/domain/roles';

/** Viewer is implied for everyone, so only the roles that add powers are offered. */
export function RoleCheckboxes({ name, selected, idPrefix, disabled }: { name: string; selected: readonly string[]; idPrefix: string; disabled?: boolean }) {
  return (
    <fieldset className="flex flex-wrap gap-3" disabled={disabled}>
      <legend className="sr-only">Roles</legend>
      {ROLES.filter((r) => r !== 'viewer').map((role) => (
        <label key={role} htmlFor={`${idPrefix}-${role}`} className="inline-flex items-center gap-1 text-sm">
          <input id={`${idPrefix}-${role}`} type="checkbox" name={name} value={role} defaultChecked={selected.includes(role)} />
          {ROLE_LABELS[role]}
        </label>
      ))}
    </fieldset>
  );
}
