import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/panel';
import type { Contract, ContractDiff, ContractField } from '@/lib/domain/contract';

/** Inputs and outputs side by side with the baseline, each difference named with its level. */
export function ContractTable({ contract, baseline, diff }: { contract: unknown; baseline: { version: string; contract: unknown } | null; diff: ContractDiff | null }) {
  const current = contract as Contract;
  const before = baseline?.contract as Contract | undefined;
  if (current.inputs.length === 0 && current.outputs.length === 0) return <EmptyState title="No contract was registered" />;
  return (
    <div className="space-y-4">
      {diff && (
        <p>
          {diff.level === 'none' ? (
            <Badge tone="green">no contract change</Badge>
          ) : (
            <Badge tone={diff.level === 'breaking' ? 'red' : 'amber'}>{diff.level} change</Badge>
          )}{' '}
          <span className="text-xs text-zinc-500">against {baseline?.version}</span>
        </p>
      )}
      {diff && diff.changes.length > 0 && (
        <ul className="space-y-0.5 text-xs">
          {diff.changes.map((c, i) => (
            <li key={i}>
              <Badge tone={c.level === 'breaking' ? 'red' : 'amber'}>{c.level}</Badge> {c.detail}
            </li>
          ))}
        </ul>
      )}
      {(['inputs', 'outputs'] as const).map((side) => (
        <table key={side} className="w-full text-left text-xs">
          <caption className="mb-1 text-left text-sm font-medium">{side === 'inputs' ? 'Inputs' : 'Outputs'}</caption>
          <thead className="text-zinc-500">
            <tr>
              <th className="py-1 font-medium">Field</th>
              <th className="py-1 font-medium">This version</th>
              {before && <th className="py-1 font-medium">{baseline!.version}</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 font-mono dark:divide-zinc-800">
            {names(current[side], before?.[side]).map((name) => {
              const now = current[side].find((f) => f.name === name);
              const then = before?.[side].find((f) => f.name === name);
              const changed = before && describe(now, side) !== describe(then, side);
              return (
                <tr key={name} className={changed ? 'bg-amber-50 dark:bg-amber-950/40' : undefined}>
                  <td className="py-1 font-sans">{name}</td>
                  <td className="py-1">{describe(now, side)}</td>
                  {before && <td className="py-1">{describe(then, side)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}

const names = (a: ContractField[], b: ContractField[] = []) => [...new Set([...a.map((f) => f.name), ...b.map((f) => f.name)])];

function describe(field: ContractField | undefined, side: 'inputs' | 'outputs'): string {
  if (!field) return '—';
  const parts: string[] = [field.type];
  if (field.nullable) parts.push('nullable');
  if (side === 'inputs' && !field.required) parts.push('optional');
  if (field.allowedValues) parts.push(`∈ {${field.allowedValues.join(', ')}}`);
  if (field.range) parts.push(`[${field.range.min ?? '−∞'}, ${field.range.max ?? '∞'}]`);
  return parts.join(' · ');
}
