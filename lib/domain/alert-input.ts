import { z } from 'zod';

export const AlertId = z.uuid('Not an alert id');
export const ALERT_GATES = ['none', 'pause', 'rollback'] as const;
export type AlertGate = (typeof ALERT_GATES)[number];

export const AcknowledgeAlertInput = z.object({ alertId: AlertId, comment: z.string().trim().max(2000).default('') });
export const ResolveAlertInput = z.object({ alertId: AlertId, comment: z.string().trim().min(3, 'Say what was done (at least 3 characters)').max(2000) });
export const CommentAlertInput = z.object({ alertId: AlertId, comment: z.string().trim().min(1, 'Write a comment').max(2000) });

/** The dedup key of a signal: one alert per model version, feature and environment (or release, or SLO). */
export const driftDedupKey = (versionId: string, feature: string, environmentId: string) => `drift:${versionId}:${feature}:${environmentId}`;
export const analysisDedupKey = (releaseId: string) => `analysis:${releaseId}`;
