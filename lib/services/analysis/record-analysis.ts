import { z } from 'zod';
import { analysisRuns } from '@/db/schema';
import { defineUseCase } from '../use-case';

const RecordAnalysisInput = z.object({
  releaseId: z.uuid(),
  step: z.number().int().min(0),
  intervalStart: z.date(),
  intervalEnd: z.date(),
  verdict: z.enum(['pass', 'marginal', 'fail', 'inconclusive']),
  score: z.number().nullable(),
  metrics: z.array(z.record(z.string(), z.unknown())),
  summary: z.string().max(2000),
  evidence: z.record(z.string(), z.unknown()),
});

/**
 * Keeps one interval's verdict with the numbers behind it. One row per (release, interval
 * start): a controller that restarts and judges the same interval again stores nothing new.
 * Fails with: forbidden (the controller, or an admin replaying).
 */
export const recordAnalysis = defineUseCase({
  name: 'analysis.record',
  permission: 'release.operate',
  summary: 'Record a canary analysis',
  input: RecordAnalysisInput,
  notAudited: 'verdicts are kept with their numbers in analysis_runs; the transitions they cause are audited',
  async run({ tx }, input) {
    const [row] = await tx
      .insert(analysisRuns)
      .values({ ...input, score: input.score ?? null })
      .onConflictDoNothing({ target: [analysisRuns.releaseId, analysisRuns.intervalStart] })
      .returning();
    return { run: row ?? null, recorded: Boolean(row) };
  },
});
