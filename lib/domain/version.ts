import { z } from 'zod';
import { Contract } from './contract';
import { CHECK_KINDS, CHECK_STATUSES } from './gate-policy';
import { ModelName } from './model';
import { SemverString } from './semver';

/** Numbers people can chart: finite only (NaN and Infinity have no JSON form and no meaning). */
const Metrics = z.record(z.string().min(1).max(200), z.number().finite('Must be a finite number')).refine((m) => Object.keys(m).length <= 500, 'At most 500 metrics');
const Tag = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:/-]+$/, 'Letters, digits and . _ : / - only');
const Sha256 = z.string().trim().toLowerCase().regex(/^sha256:[0-9a-f]{64}$/, 'Expected sha256:<64 hex characters>');

/** What CI (or an ML lead) posts to register a version. Immutable once stored, tags and status aside. */
export const RegisterVersionInput = z.object({
  model: ModelName,
  version: SemverString,
  artifactUri: z.string().trim().min(1, 'Required').max(2000).regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, 'Expected a URI such as s3://bucket/path/model.tar.gz'),
  artifactDigest: Sha256,
  gitCommit: z.string().trim().toLowerCase().regex(/^[0-9a-f]{7,64}$/, 'Expected a git commit hash').optional(),
  dataSnapshotId: z.string().trim().min(1).max(500).optional(),
  dataSnapshotHash: Sha256.optional(),
  hyperparameters: z
    .record(z.string().min(1).max(200), z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()]))
    .refine((h) => Object.keys(h).length <= 500, 'At most 500 hyperparameters')
    .default({}),
  offlineMetrics: Metrics.default({}),
  contract: Contract.default({ inputs: [], outputs: [] }),
  parentVersion: SemverString.optional(),
  tags: z.array(Tag).max(50, 'At most 50 tags').default([]).transform((t) => [...new Set(t)]),
});
export type RegisterVersionInput = z.infer<typeof RegisterVersionInput>;

export const VERSION_STATUSES = ['registered', 'archived'] as const;

export const UpdateVersionInput = z.object({
  model: ModelName,
  version: SemverString,
  tags: z.array(Tag).max(50).transform((t) => [...new Set(t)]).optional(),
  status: z.enum(VERSION_STATUSES).optional(),
});

export const ReportCheckInput = z.object({
  model: ModelName,
  version: SemverString,
  kind: z.enum(CHECK_KINDS),
  status: z.enum(CHECK_STATUSES),
  measurements: Metrics.default({}),
  link: z.url('Expected a URL').max(2000).optional(),
  summary: z.string().trim().max(2000).optional(),
});
export type ReportCheckInput = z.infer<typeof ReportCheckInput>;
