import { Badge, type Tone } from './badge';

/** One colour and one word per state, everywhere (UI.md conventions). */
const STATES: Record<string, { tone: Tone; label: string }> = {
  pending_approval: { tone: 'amber', label: 'waiting for approval' },
  approved: { tone: 'amber', label: 'approved' },
  running: { tone: 'blue', label: 'running' },
  paused: { tone: 'amber', label: 'paused' },
  promoted: { tone: 'green', label: 'promoted' },
  rolled_back: { tone: 'red', label: 'rolled back' },
  rejected: { tone: 'red', label: 'rejected' },
  aborted: { tone: 'neutral', label: 'aborted' },
  open: { tone: 'red', label: 'open' },
  acknowledged: { tone: 'amber', label: 'acknowledged' },
  resolved: { tone: 'green', label: 'resolved' },
  // Experiments (lib/queries/experiments statusOf)
  waiting_for_approval: { tone: 'amber', label: 'waiting for approval' },
  ready: { tone: 'amber', label: 'ready to start' },
  shipped: { tone: 'green', label: 'shipped' },
  ended: { tone: 'neutral', label: 'ended' },
  closed: { tone: 'green', label: 'closed' },
};

export function StateBadge({ state }: { state: string }) {
  const known = STATES[state] ?? { tone: 'neutral' as const, label: state.replace(/_/g, ' ') };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}
