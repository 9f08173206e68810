import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '@/lib/domain/contract';
import {
  aliasesOf,
  artifactDigestFromMlflow,
  artifactPathFromSource,
  artifactUriFromSource,
  contractFromSignature,
  fieldTypeOfDtype,
  flightdeckModelName,
  flightdeckTags,
  gitCommitFromTags,
  hyperparametersFromParams,
  mlflowWebhookHeaders,
  MlflowErrorResponse,
  MlflowGetRunResponse,
  MlflowModelVersion,
  MlflowRegisteredModel,
  MlflowRun,
  MlflowSearchModelVersionsResponse,
  MlflowSearchRegisteredModelsResponse,
  offlineMetricsFromMetrics,
  parseMlflowWebhook,
  registrationFromMlflow,
  sanitiseTag,
  signatureFromHistory,
  signMlflowWebhook,
  verifyMlflowWebhook,
  versionFromMlflow,
  type MlflowImport,
} from '@/lib/domain/mlflow';
import { RegisterVersionInput } from '@/lib/domain/version';
import { buildMlflowFixtures, FIXTURE_RUNS, startFakeMlflow, type FakeMlflow } from '@/tests/support/fake-mlflow';

const RUN = '0123456789abcdef0123456789abcdef';
const cols = (specs: unknown[]) => JSON.stringify(specs);
const version = (over: Partial<Record<string, unknown>> = {}) => MlflowModelVersion.parse({ name: 'Fraud Detector', version: '3', status: 'READY', source: `runs:/${RUN}/model`, run_id: RUN, ...over });
const model = (over: Partial<Record<string, unknown>> = {}) => MlflowRegisteredModel.parse({ name: 'Fraud Detector', ...over });
const runWith = (over: { params?: unknown[]; metrics?: unknown[]; tags?: unknown[]; artifact_uri?: string; run_id?: string } = {}) =>
  MlflowRun.parse({ info: { run_id: over.run_id ?? RUN, artifact_uri: over.artifact_uri ?? `s3://bucket/1/${RUN}/artifacts` }, data: { params: over.params, metrics: over.metrics, tags: over.tags } });
const historyTag = (entries: unknown[]) => ({ key: 'mlflow.log-model.history', value: JSON.stringify(entries) });
const ok = (r: MlflowImport) => {
  if (!r.ok) throw new Error(`expected an import, got ${r.reason}: ${r.message}`);
  return r;
};

describe('flightdeckModelName', () => {
  it.each([
    ['Fraud Detector', 'fraud-detector'],
    ['fraud_detector.v2', 'fraud-detector-v2'],
    ['  Churn--Model  ', 'churn-model'],
    ['Détecteur de fraude', 'detecteur-de-fraude'],
    ['team/ranker@prod', 'team-ranker-prod'],
    ['__x1__', 'x1'],
    ['ab', 'ab'],
  ])('%j → %j', (input, output) => {
    expect(flightdeckModelName(input)).toBe(output);
  });

  it.each(['', 'x', '!!!', '模型', '_a_', '   '])('%j leaves nothing usable', (input) => {
    expect(flightdeckModelName(input)).toBeNull();
  });

  it('cuts to 63 characters without leaving a trailing dash', () => {
    const name = flightdeckModelName(`${'a'.repeat(62)}_bbbb`);
    expect(name).toBe('a'.repeat(62));
    expect(flightdeckModelName('b'.repeat(100))).toBe('b'.repeat(63));
  });
});

describe('versionFromMlflow', () => {
  it('maps version n to n.0.0, a major bump every time', () => {
    expect(versionFromMlflow(version({ version: '1' }))).toEqual({ version: '1.0.0', from: 'number', warnings: [] });
    expect(versionFromMlflow(version({ version: '42' }))?.version).toBe('42.0.0');
  });

  it('prefers a valid semver tag, flightdeck.version over semver', () => {
    expect(versionFromMlflow(version({ tags: [{ key: 'semver', value: ' 2.1.0 ' }] }))).toEqual({ version: '2.1.0', from: 'tag', warnings: [] });
    expect(versionFromMlflow(version({ tags: [{ key: 'semver', value: '2.1.0' }, { key: 'flightdeck.version', value: '3.0.0-rc.1' }] }))?.version).toBe('3.0.0-rc.1');
  });

  it('ignores an invalid tag with a warning and falls back to the number', () => {
    const mapped = versionFromMlflow(version({ version: '7', tags: [{ key: 'semver', value: 'v1.2.3' }] }));
    expect(mapped?.version).toBe('7.0.0');
    expect(mapped?.warnings).toEqual(['version tag semver="v1.2.3" is not a semantic version; ignored']);
    expect(versionFromMlflow(version({ tags: [{ key: 'flightdeck.version', value: '1.2' }, { key: 'semver', value: '1.2.0' }] }))?.version).toBe('1.2.0');
  });

  it('returns null when neither a tag nor the number gives a version', () => {
    expect(versionFromMlflow(version({ version: 'latest' }))).toBeNull();
    expect(versionFromMlflow(version({ version: '-1' }))).toBeNull();
  });
});

describe('contractFromSignature: column specs', () => {
  it.each([
    ['boolean', 'boolean'],
    ['integer', 'integer'],
    ['long', 'integer'],
    ['float', 'float'],
    ['double', 'float'],
    ['string', 'string'],
    ['datetime', 'datetime'],
    ['binary', 'string'],
  ])('%s → %s', (mlflowType, type) => {
    const { contract } = contractFromSignature({ inputs: cols([{ type: mlflowType, name: 'x', required: true }]) });
    expect(contract.inputs).toEqual([{ name: 'x', type, nullable: false, required: true }]);
  });

  it('passes required: false through, as optional and nullable (MLflow lets it be missing or None)', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols([{ type: 'string', name: 'country', required: false }]) });
    expect(contract.inputs).toEqual([{ name: 'country', type: 'string', nullable: true, required: false }]);
    expect(warnings).toEqual([]);
  });

  it('treats a missing required (MLflow < 2.6) as required and names unnamed columns by position', () => {
    const { contract } = contractFromSignature({ inputs: cols([{ type: 'string' }, { type: 'long' }]), outputs: cols([{ type: 'double' }]) });
    expect(contract.inputs.map((f) => [f.name, f.type, f.required])).toEqual([
      ['column_0', 'string', true],
      ['column_1', 'integer', true],
    ]);
    expect(contract.outputs).toEqual([{ name: 'column_0', type: 'float', nullable: false, required: true }]);
  });

  it('warns that binary is recorded as string', () => {
    expect(contractFromSignature({ inputs: cols([{ type: 'binary', name: 'image' }]) }).warnings).toEqual(['inputs "image" is binary; recorded as string (base64, as MLflow serving expects)']);
  });

  it('records array, object, map, sparkml_vector and any as strings, with a warning each', () => {
    const { contract, warnings } = contractFromSignature({
      inputs: cols([
        { type: 'array', items: { type: 'string' }, name: 'tokens', required: true },
        { type: 'object', properties: { a: { type: 'long', required: true } }, name: 'meta', required: true },
        { type: 'map', values: { type: 'double' }, name: 'weights', required: false },
        { type: 'sparkml_vector', name: 'vec', required: true },
        { type: 'any', name: 'extra', required: true },
      ]),
    });
    expect(contract.inputs.map((f) => [f.name, f.type, f.nullable, f.required])).toEqual([
      ['tokens', 'string', false, true],
      ['meta', 'string', false, true],
      ['weights', 'string', true, false],
      ['vec', 'string', false, true],
      ['extra', 'string', true, true],
    ]);
    expect(warnings).toEqual([
      'inputs "tokens" is an array; recorded as string (its JSON) without checking the structure',
      'inputs "meta" is an object; recorded as string (its JSON) without checking the structure',
      'inputs "weights" is a map; recorded as string (its JSON) without checking the structure',
      'inputs "vec" is a sparkml_vector; recorded as string (its JSON) without checking the structure',
      'inputs "extra" is of any type; recorded as string (its JSON) without checking the structure',
    ]);
  });

  it('records an unknown type as string with a warning', () => {
    const { contract, warnings } = contractFromSignature({ outputs: cols([{ type: 'decimal', name: 'd' }]) });
    expect(contract.outputs[0]?.type).toBe('string');
    expect(warnings).toEqual(['outputs "d" has unknown type "decimal"; recorded as string']);
  });
});

describe('contractFromSignature: tensor specs', () => {
  const tensor = (dtype: string, shape: number[], name?: string) => ({ type: 'tensor', 'tensor-spec': { dtype, shape }, ...(name ? { name } : {}) });

  it.each([
    ['bool', 'boolean'],
    ['int8', 'integer'],
    ['int32', 'integer'],
    ['int64', 'integer'],
    ['uint8', 'integer'],
    ['uint64', 'integer'],
    ['float16', 'float'],
    ['float32', 'float'],
    ['float64', 'float'],
    ['double', 'float'],
    ['str', 'string'],
    ['object', 'string'],
    ['bytes', 'string'],
    ['datetime64[ns]', 'datetime'],
  ])('dtype %s → %s', (dtype, type) => {
    expect(fieldTypeOfDtype(dtype)).toBe(type);
    expect(contractFromSignature({ outputs: cols([tensor(dtype, [-1], 'y')]) }).contract.outputs).toEqual([{ name: 'y', type, nullable: false, required: true }]);
  });

  it('names each tensor by name, or tensor_<i> when unnamed', () => {
    const { contract } = contractFromSignature({ inputs: cols([tensor('float32', [-1], 'a'), tensor('int64', [-1], 'b')]), outputs: cols([tensor('float64', [-1])]) });
    expect(contract.inputs.map((f) => f.name)).toEqual(['a', 'b']);
    expect(contract.outputs.map((f) => f.name)).toEqual(['tensor_0']);
  });

  it('warns when a tensor has more than one dimension: one field cannot say the shape', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols([tensor('uint8', [-1, 300, 300, 3], 'image')]) });
    expect(contract.inputs).toEqual([{ name: 'image', type: 'integer', nullable: false, required: true }]);
    expect(warnings).toEqual(['inputs tensor "image" has shape [-1,300,300,3]; Flightdeck records one integer field and does not check the shape']);
  });

  it('records an unknown dtype as string with a warning', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols([tensor('complex64', [-1])]) });
    expect(contract.inputs[0]).toMatchObject({ name: 'tensor_0', type: 'string' });
    expect(warnings).toEqual(['inputs tensor "tensor_0" has dtype "complex64", which Flightdeck has no type for; recorded as string']);
  });
});

describe('contractFromSignature: what cannot be read', () => {
  it('returns an empty contract, without warnings, for no signature', () => {
    expect(contractFromSignature(null)).toEqual({ contract: { inputs: [], outputs: [] }, warnings: [] });
    expect(contractFromSignature({ inputs: null, outputs: '' })).toEqual({ contract: { inputs: [], outputs: [] }, warnings: [] });
  });

  it('leaves a side empty when its JSON is malformed or not a list', () => {
    const { contract, warnings } = contractFromSignature({ inputs: '[{"type": "double", "name": "amount"', outputs: '{"type": "double"}' });
    expect(contract).toEqual({ inputs: [], outputs: [] });
    expect(warnings).toEqual(['signature inputs is not valid JSON; inputs left empty', 'signature outputs is not a list of column or tensor specs; outputs left empty']);
  });

  it('skips specs that are not objects or have no type, keeping the rest', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols(['amount', null, { name: 'typeless' }, { type: 'double', name: 'ok' }]) });
    expect(contract.inputs.map((f) => f.name)).toEqual(['ok']);
    expect(warnings).toEqual([
      'inputs[0] is not a column or tensor spec; left out of the contract',
      'inputs[1] is not a column or tensor spec; left out of the contract',
      'inputs[2] has no type; left out of the contract',
    ]);
  });

  it('renames a repeated name, since the contract matches fields by name', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols([{ type: 'double', name: 'x' }, { type: 'long', name: 'x' }]) });
    expect(contract.inputs.map((f) => f.name)).toEqual(['x', 'x_2']);
    expect(warnings).toEqual(['inputs "x" appears more than once; the repeat is recorded as "x_2"']);
    expect(Contract.safeParse(contract).success).toBe(true);
  });

  it('shortens names over 200 characters', () => {
    const { contract, warnings } = contractFromSignature({ inputs: cols([{ type: 'double', name: 'n'.repeat(250) }]) });
    expect(contract.inputs[0]?.name).toBe('n'.repeat(200));
    expect(warnings).toHaveLength(1);
  });

  it('warns that inference params are not part of the contract', () => {
    const params = cols([{ name: 'temperature', type: 'float', default: 0.5, shape: null }]);
    expect(contractFromSignature({ inputs: cols([{ type: 'string', name: 'q' }]), params }).warnings).toEqual(['1 inference parameter in the signature is not part of a Flightdeck contract']);
  });
});

describe('signatureFromHistory', () => {
  const sig = (name: string) => ({ inputs: cols([{ type: 'double', name }]), outputs: cols([{ type: 'double', name: 'y' }]), params: null });
  const entry = (artifact_path: string, signature?: unknown) => ({ run_id: RUN, artifact_path, utc_time_created: '2024-05-01 10:00:00.000000', flavors: {}, ...(signature ? { signature } : {}) });
  const history = (...entries: unknown[]) => JSON.stringify(entries);

  it.each([
    [`runs:/${RUN}/model`, 'model'],
    [`runs:/${RUN}/models/fraud/`, 'models/fraud'],
    [`mlflow-artifacts:/1/${RUN}/artifacts/model`, 'model'],
    [`s3://bucket/1/${RUN}/artifacts/model`, 'model'],
    [`s3://artifacts/artifacts/1/${RUN}/artifacts/model`, 'model'],
    ['dbfs:/databricks/mlflow/1/other/artifacts/sub/model', 'sub/model'],
    ['models:/m-0123', null],
    ['s3://bucket/model.tar.gz', null],
  ])('artifact path of %s is %j', (source, path) => {
    expect(artifactPathFromSource(source, RUN)).toBe(path);
  });

  it('picks the entry logged at the source’s artifact path', () => {
    const found = signatureFromHistory(history(entry('preprocessor', sig('raw')), entry('model', sig('amount'))), `s3://b/1/${RUN}/artifacts/model`, RUN);
    expect(found).toEqual({ signature: sig('amount'), warnings: [] });
  });

  it('takes the later of two entries at the same path', () => {
    expect(signatureFromHistory(history(entry('model', sig('old')), entry('model', sig('new'))), `runs:/${RUN}/model`, RUN).signature).toEqual(sig('new'));
  });

  it('falls back to the only entry when the path does not match', () => {
    expect(signatureFromHistory(history(entry('elsewhere', sig('amount'))), 'models:/m-0123', RUN).signature).toEqual(sig('amount'));
  });

  it('warns when several entries exist and none matches', () => {
    const found = signatureFromHistory(history(entry('a', sig('a')), entry('b', sig('b'))), `runs:/${RUN}/model`, RUN);
    expect(found).toEqual({ signature: null, warnings: ['run tag mlflow.log-model.history has 2 models and none at "model"; no signature read'] });
  });

  it('returns no signature for MLflow 2.16+ entries, which keep none', () => {
    expect(signatureFromHistory(history(entry('model')), `runs:/${RUN}/model`, RUN)).toEqual({ signature: null, warnings: [] });
  });

  it('warns when the tag is not valid JSON (a history cut off at the tag size limit)', () => {
    expect(signatureFromHistory('[{"run_id": "abc", "artifact_path": "mod', `runs:/${RUN}/model`, RUN).warnings).toEqual([
      'run tag mlflow.log-model.history is not valid JSON (possibly truncated); no signature read',
    ]);
    expect(signatureFromHistory(undefined, `runs:/${RUN}/model`, RUN)).toEqual({ signature: null, warnings: [] });
    expect(signatureFromHistory('{}', `runs:/${RUN}/model`, RUN).warnings).toEqual(['run tag mlflow.log-model.history lists no models; no signature read']);
  });
});

describe('artifactUriFromSource', () => {
  it.each([
    [`runs:/${RUN}/model`, `s3://bucket/1/${RUN}/artifacts`, `s3://bucket/1/${RUN}/artifacts/model`],
    [`runs:/${RUN}/model`, `mlflow-artifacts:/1/${RUN}/artifacts/`, `mlflow-artifacts:///1/${RUN}/artifacts/model`],
    [`runs:/${RUN}/model`, null, `runs:///${RUN}/model`],
    [`mlflow-artifacts:/1/${RUN}/artifacts/model`, null, `mlflow-artifacts:///1/${RUN}/artifacts/model`],
    ['mlflow-artifacts://tracking.example:5000/1/x/artifacts/model', null, 'mlflow-artifacts://tracking.example:5000/1/x/artifacts/model'],
    ['models:/m-0a1b2c', null, 'models:///m-0a1b2c'],
    ['dbfs:/databricks/mlflow/1/x/artifacts/model', null, 'dbfs:///databricks/mlflow/1/x/artifacts/model'],
    ['s3://bucket/path/model', null, 's3://bucket/path/model'],
    ['file:///tmp/mlruns/1/x/artifacts/model', null, 'file:///tmp/mlruns/1/x/artifacts/model'],
    ['/tmp/mlruns/1/x/artifacts/model', null, 'file:///tmp/mlruns/1/x/artifacts/model'],
    ['gs://bucket/my model', null, 'gs://bucket/my%20model'],
  ])('%s (run at %s) → %s', (source, runUri, uri) => {
    expect(artifactUriFromSource(source, runUri)).toBe(uri);
    expect(RegisterVersionInput.shape.artifactUri.safeParse(uri).success).toBe(true);
  });

  it.each(['', 'mlruns/1/x/artifacts/model', 'dbfs:model', 'C:\\mlruns\\model'])('refuses %j', (source) => {
    expect(artifactUriFromSource(source)).toBeNull();
  });
});

describe('artifactDigestFromMlflow', () => {
  const hex = 'ab'.repeat(32);

  it('uses an artifact_digest or sha256 tag holding a sha256, lower-cased', () => {
    expect(artifactDigestFromMlflow(version({ tags: [{ key: 'artifact_digest', value: `sha256:${hex}` }] }))).toEqual({ digest: `sha256:${hex}`, from: 'tag', warnings: [] });
    expect(artifactDigestFromMlflow(version({ tags: [{ key: 'sha256', value: hex.toUpperCase() }] })).digest).toBe(`sha256:${hex}`);
  });

  it('derives the digest from the MLflow identity otherwise, independently checked', () => {
    const v = version({ name: 'm', version: '1', source: 's3://b/m', run_id: 'r' });
    const expected = createHash('sha256').update('{"name":"m","run_id":"r","source":"s3://b/m","version":"1"}').digest('hex');
    expect(artifactDigestFromMlflow(v)).toEqual({ digest: `sha256:${expected}`, from: 'mlflow-identity', warnings: [] });
  });

  it('hashes an absent run_id like an empty one, and changes with the source', () => {
    const a = artifactDigestFromMlflow(version({ run_id: undefined })).digest;
    expect(artifactDigestFromMlflow(version({ run_id: '' })).digest).toBe(a);
    expect(artifactDigestFromMlflow(version({ run_id: undefined, source: 's3://other' })).digest).not.toBe(a);
  });

  it('warns about a tag that is not a sha256 and derives instead', () => {
    const mapped = artifactDigestFromMlflow(version({ tags: [{ key: 'artifact_digest', value: 'md5:abc' }] }));
    expect(mapped.from).toBe('mlflow-identity');
    expect(mapped.warnings).toEqual(['version tag artifact_digest is not a sha256 digest; the digest is derived from the MLflow record instead']);
  });
});

describe('run fields', () => {
  it('reads a git commit of 7–64 hex characters, lower-cased', () => {
    const tag = (value: string) => [{ key: 'mlflow.source.git.commit', value }];
    expect(gitCommitFromTags(tag('A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'))).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    expect(gitCommitFromTags(tag('abc1234'))).toBe('abc1234');
    expect(gitCommitFromTags(tag('abc123'))).toBeUndefined();
    expect(gitCommitFromTags(tag('not-a-commit'))).toBeUndefined();
    expect(gitCommitFromTags([])).toBeUndefined();
  });

  it('keeps params as strings, cuts long values, drops long keys, keeps 500 by name', () => {
    const warnings: string[] = [];
    const params = [
      { key: 'lr', value: '0.1' },
      { key: 'long', value: 'v'.repeat(2500) },
      { key: 'k'.repeat(201), value: 'x' },
      ...Array.from({ length: 499 }, (_, i) => ({ key: `p${String(i).padStart(3, '0')}`, value: String(i) })),
    ];
    const hp = hyperparametersFromParams(params, warnings);
    expect(Object.keys(hp)).toHaveLength(500);
    expect(hp.long).toHaveLength(2000);
    expect(hp.long?.endsWith('…')).toBe(true);
    expect(hp.lr).toBe('0.1');
    expect(hp.p498).toBeUndefined(); // the 501st by name
    expect(warnings).toEqual([
      `param "${'k'.repeat(40)}…" has a key longer than 200 characters; dropped`,
      'run has 501 params; only the first 500 by name are kept',
      'param "long" is 2500 characters; cut to 2000',
    ]);
    expect(RegisterVersionInput.shape.hyperparameters.safeParse(hp).success).toBe(true);
  });

  it('keeps the latest finite value per metric', () => {
    const warnings: string[] = [];
    const run = MlflowRun.parse({
      data: {
        metrics: [
          { key: 'auc', value: 0.9, step: 2, timestamp: 5 },
          { key: 'auc', value: 0.8, step: 1, timestamp: 9 },
          { key: 'loss', value: 0.3, step: 1, timestamp: 1 },
          { key: 'loss', value: 0.2, step: 1, timestamp: 2 },
          { key: 'nan', value: 'NaN' },
          { key: 'inf', value: 'Infinity' },
          { key: 'none' },
        ],
      },
    });
    expect(offlineMetricsFromMetrics(run.data.metrics, warnings)).toEqual({ auc: 0.9, loss: 0.2 });
    expect(warnings).toEqual(['metric "inf" is Infinity; dropped', 'metric "nan" is NaN; dropped', 'metric "none" is missing; dropped']);
  });

  it('keeps at most 500 metrics', () => {
    const warnings: string[] = [];
    const metrics = Array.from({ length: 501 }, (_, i) => ({ key: `m${String(i).padStart(3, '0')}`, value: i }));
    expect(Object.keys(offlineMetricsFromMetrics(metrics, warnings))).toHaveLength(500);
    expect(warnings).toEqual(['run has 501 metrics; only the first 500 by name are kept']);
  });
});

describe('tags', () => {
  it.each([
    ['alias:champion', 'alias:champion'],
    ['alias:my alias', 'alias:my-alias'],
    ['alias:naïve!', 'alias:na-ve-'],
    [`alias:${'x'.repeat(80)}`, `alias:${'x'.repeat(58)}`],
    ['   ', null],
    ['%%%', null],
  ])('sanitiseTag(%j) → %j', (raw, tag) => {
    expect(sanitiseTag(raw)).toBe(tag);
  });

  it('tags the MLflow number, the stage unless None, and each alias', () => {
    const warnings: string[] = [];
    expect(flightdeckTags({ version: '3', stage: 'Production', aliases: ['champion', 'blue green'] }, warnings)).toEqual(['mlflow:3', 'mlflow-stage:Production', 'alias:champion', 'alias:blue-green']);
    expect(warnings).toEqual(['tag "alias:blue green" recorded as "alias:blue-green"']);
    expect(flightdeckTags({ version: '1', stage: 'None', aliases: [] }, [])).toEqual(['mlflow:1']);
    expect(flightdeckTags({ version: '1', aliases: [] }, [])).toEqual(['mlflow:1']);
  });

  it('de-duplicates after sanitising and keeps at most 50', () => {
    const warnings: string[] = [];
    const tags = flightdeckTags({ version: '1', aliases: ['a b', 'a-b', ...Array.from({ length: 60 }, (_, i) => `a${i}`)] }, warnings);
    expect(tags).toHaveLength(50);
    expect(tags.filter((t) => t === 'alias:a-b')).toHaveLength(1);
    expect(warnings.at(-1)).toBe('62 tags; only the first 50 are kept');
    expect(RegisterVersionInput.shape.tags.safeParse(tags).success).toBe(true);
  });

  it('collects aliases from the version and from the registered model', () => {
    const m = model({ aliases: [{ alias: 'champion', version: '3' }, { alias: 'old', version: '1' }] });
    expect(aliasesOf(m, version({ aliases: ['shadow', 'champion'] }))).toEqual(['champion', 'shadow']);
  });
});

describe('registrationFromMlflow', () => {
  const signedRun = runWith({
    params: [{ key: 'max_depth', value: '6' }],
    metrics: [{ key: 'auc', value: 0.94, step: 0, timestamp: 1 }],
    tags: [
      { key: 'mlflow.source.git.commit', value: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
      historyTag([{ run_id: RUN, artifact_path: 'model', signature: { inputs: cols([{ type: 'double', name: 'amount', required: true }]), outputs: cols([{ type: 'double', name: 'p', required: true }]) } }]),
    ],
  });

  it('maps a READY version with its run into a registration', () => {
    const result = ok(registrationFromMlflow({ model: model({ description: ' Scores fraud. ', tags: [{ key: 'owner', value: 'risk-team' }] }), version: version({ current_stage: 'Staging', aliases: ['champion'] }), run: signedRun }));
    expect(result.model).toEqual({ name: 'fraud-detector', ownerTeam: 'risk-team', description: 'Scores fraud.', servingService: 'fraud-detector' });
    expect(result.version).toMatchObject({
      model: 'fraud-detector',
      version: '3.0.0',
      artifactUri: `s3://bucket/1/${RUN}/artifacts/model`,
      gitCommit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      hyperparameters: { max_depth: '6' },
      offlineMetrics: { auc: 0.94 },
      contract: { inputs: [{ name: 'amount', type: 'float', nullable: false, required: true }], outputs: [{ name: 'p', type: 'float', nullable: false, required: true }] },
      tags: ['mlflow:3', 'mlflow-stage:Staging', 'alias:champion'],
    });
    expect(result.version.artifactDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.warnings).toEqual([]);
  });

  it('skips versions that are not READY', () => {
    for (const status of ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', undefined]) {
      const result = registrationFromMlflow({ model: model(), version: version({ status }), run: signedRun });
      expect(result).toMatchObject({ ok: false, reason: 'not_ready' });
    }
  });

  it('skips prompts, names with no usable slug, odd version numbers and unusable sources', () => {
    expect(registrationFromMlflow({ model: model({ tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] }), version: version() })).toMatchObject({ ok: false, reason: 'prompt' });
    expect(registrationFromMlflow({ model: model({ name: '模型' }), version: version({ name: '模型' }) })).toMatchObject({ ok: false, reason: 'unusable_name' });
    expect(registrationFromMlflow({ model: model(), version: version({ version: 'abc' }) })).toMatchObject({ ok: false, reason: 'unusable_version' });
    expect(registrationFromMlflow({ model: model(), version: version({ source: 'relative/model' }) })).toMatchObject({ ok: false, reason: 'unusable_source' });
    expect(registrationFromMlflow({ model: model(), version: version({ source: undefined }) })).toMatchObject({ ok: false, reason: 'unusable_source' });
  });

  it('imports without a run, saying what is missing', () => {
    const result = ok(registrationFromMlflow({ model: model(), version: version(), run: null }));
    expect(result.version).toMatchObject({ artifactUri: `runs:///${RUN}/model`, hyperparameters: {}, offlineMetrics: {}, contract: { inputs: [], outputs: [] } });
    expect(result.version.gitCommit).toBeUndefined();
    expect(result.warnings).toEqual([`run ${RUN} of Fraud Detector v3 is not available; no params, metrics, commit or signature`]);
  });

  it('ignores a run that belongs to another version', () => {
    const other = runWith({ run_id: 'f'.repeat(32), params: [{ key: 'x', value: '1' }] });
    const result = ok(registrationFromMlflow({ model: model(), version: version(), run: other }));
    expect(result.version.hyperparameters).toEqual({});
    expect(result.warnings[0]).toBe(`run ${'f'.repeat(32)} is not the run of Fraud Detector v3 (${RUN}); ignored`);
  });

  it('prefers a signature passed in (read from MLmodel) and warns when there is none at all', () => {
    const signature = { inputs: cols([{ type: 'long', name: 'n' }]) };
    expect(ok(registrationFromMlflow({ model: model(), version: version(), run: signedRun, signature })).version.contract.inputs.map((f) => f.name)).toEqual(['n']);
    const bare = ok(registrationFromMlflow({ model: model(), version: version(), run: runWith() }));
    expect(bare.warnings).toEqual(['Fraud Detector v3 has no model signature; the contract is left empty']);
  });

  it('reads owner, team and serving_service tags, with defaults', () => {
    const team = ok(registrationFromMlflow({ model: model({ tags: [{ key: 'team', value: 'growth' }, { key: 'serving_service', value: 'fraud-api' }] }), version: version(), run: signedRun }));
    expect(team.model).toMatchObject({ ownerTeam: 'growth', servingService: 'fraud-api' });
    const bad = ok(registrationFromMlflow({ model: model({ tags: [{ key: 'serving_service', value: 'Fraud API' }] }), version: version(), run: signedRun }));
    expect(bad.model).toMatchObject({ ownerTeam: 'mlflow', servingService: 'fraud-detector' });
    expect(bad.warnings).toEqual(['model tag serving_service="Fraud API" is not a valid service name; "fraud-detector" is used']);
  });

  it('cuts a description over 2,000 characters', () => {
    const result = ok(registrationFromMlflow({ model: model({ description: 'd'.repeat(2100) }), version: version(), run: signedRun }));
    expect(result.model.description).toHaveLength(2000);
    expect(result.warnings).toEqual(['model description is 2100 characters; cut to 2,000']);
  });

  it('always returns what RegisterVersionInput accepts', () => {
    const noisy = runWith({ params: [{ key: 'v', value: 'x'.repeat(5000) }], metrics: [{ key: 'm', value: 'NaN' }], tags: [{ key: 'mlflow.source.git.commit', value: 'zzz' }] });
    const result = ok(registrationFromMlflow({ model: model(), version: version({ aliases: Array.from({ length: 70 }, (_, i) => `alias ${i}`) }), run: noisy }));
    expect(RegisterVersionInput.safeParse(result.version).success).toBe(true);
  });
});

describe('MLflow response schemas', () => {
  it('default omitted lists and accept int64 as strings and proto doubles as strings', () => {
    const page = MlflowSearchRegisteredModelsResponse.parse({});
    expect(page).toEqual({ registered_models: [], next_page_token: undefined });
    const m = MlflowRegisteredModel.parse({ name: 'm', creation_timestamp: '1714557000000', future_field: { x: 1 } });
    expect(m).toMatchObject({ creation_timestamp: 1714557000000, tags: [], aliases: [], latest_versions: [] });
    expect(MlflowRun.parse({}).data).toEqual({ metrics: [], params: [], tags: [] });
    expect(MlflowRun.parse({ data: { metrics: [{ key: 'a', value: '-Infinity' }] } }).data.metrics[0]?.value).toBe(-Infinity);
    expect(MlflowModelVersion.parse({ name: 'm', version: 2, tags: [{ key: 'k' }] })).toMatchObject({ version: '2', tags: [{ key: 'k', value: '' }], aliases: [] });
  });

  it('treats an empty next_page_token as the last page', () => {
    expect(MlflowSearchModelVersionsResponse.parse({ model_versions: [], next_page_token: '' }).next_page_token).toBeUndefined();
  });
});

describe('MLflow webhooks', () => {
  // Made with MLflow's own algorithm (mlflow/webhooks/delivery.py `_generate_hmac_signature`) in
  // Python: json.dumps of the envelope, HMAC-SHA256 over "<id>.<ts>.<payload>", base64.
  const vector = {
    secret: 'mlflow-webhook-secret',
    deliveryId: '5f0c7a3e-2a4b-4d8e-9c1f-0a1b2c3d4e5f',
    timestamp: '1756728000',
    body: '{"entity": "model_version", "action": "created", "timestamp": "2025-09-01T12:00:00.000000+00:00", "data": {"name": "Fraud Detector", "version": "4", "source": "runs:/0123456789abcdef0123456789abcdef/model", "run_id": "0123456789abcdef0123456789abcdef", "tags": {"semver": "3.0.0"}, "description": null}}',
    signature: 'v1,qbsvCXLlGqmbl40UMMN9BrQ1iE6EzeQU+9T8n1GzbXI=',
  };
  const headers = { signature: vector.signature, deliveryId: vector.deliveryId, timestamp: vector.timestamp };
  const now = Number(vector.timestamp);

  it('signs exactly as MLflow does', () => {
    expect(signMlflowWebhook(vector.secret, vector.deliveryId, now, vector.body)).toBe(vector.signature);
    const independent = createHmac('sha256', 'k').update('id.1.{}').digest('base64');
    expect(signMlflowWebhook('k', 'id', 1, '{}')).toBe(`v1,${independent}`);
  });

  it('accepts a valid delivery within the tolerance either way', () => {
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now)).toBe(true);
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now + 300)).toBe(true);
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now - 300)).toBe(true);
  });

  it('rejects a wrong secret, a tampered body, delivery id or timestamp', () => {
    expect(verifyMlflowWebhook('other-secret', headers, vector.body, now)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body.replace('"4"', '"5"'), now)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, headers, `${vector.body} `, now)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, { ...headers, deliveryId: 'another-id' }, vector.body, now)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, { ...headers, timestamp: String(now + 1) }, vector.body, now)).toBe(false);
  });

  it('rejects stale and far-future timestamps', () => {
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now + 301)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now - 301)).toBe(false);
    expect(verifyMlflowWebhook(vector.secret, headers, vector.body, now + 60, 30)).toBe(false);
  });

  it.each([
    ['no signature', { ...headers, signature: undefined }],
    ['empty signature', { ...headers, signature: '' }],
    ['no version prefix', { ...headers, signature: vector.signature.slice(3) }],
    ['another version', { ...headers, signature: vector.signature.replace('v1,', 'v2,') }],
    ['hex instead of base64', { ...headers, signature: `v1,${createHmac('sha256', vector.secret).update(`${vector.deliveryId}.${vector.timestamp}.${vector.body}`).digest('hex')}` }],
    ['cut base64', { ...headers, signature: vector.signature.slice(0, -4) }],
    ['no delivery id', { ...headers, deliveryId: null }],
    ['no timestamp', { ...headers, timestamp: undefined }],
    ['timestamp not in seconds', { ...headers, timestamp: '2025-09-01T12:00:00Z' }],
  ])('rejects a malformed header: %s', (_, bad) => {
    expect(verifyMlflowWebhook(vector.secret, bad, vector.body, now)).toBe(false);
  });

  it('rejects everything when no secret is configured', () => {
    expect(verifyMlflowWebhook('', headers, vector.body, now)).toBe(false);
  });

  it('accepts one valid signature among several, space-separated', () => {
    const rotated = { ...headers, signature: `v1,${'A'.repeat(43)}= ${vector.signature}` };
    expect(verifyMlflowWebhook(vector.secret, rotated, vector.body, now)).toBe(true);
  });

  it('builds the three MLflow headers for test requests', () => {
    const built = mlflowWebhookHeaders(vector.secret, vector.deliveryId, now, vector.body);
    expect(built).toEqual({ 'Content-Type': 'application/json', 'X-MLflow-Delivery-Id': vector.deliveryId, 'X-MLflow-Timestamp': vector.timestamp, 'X-MLflow-Signature': vector.signature });
  });

  it('parses the envelope and each model-registry event', () => {
    expect(parseMlflowWebhook(vector.body)).toEqual({
      ok: true,
      event: {
        event: 'model_version.created',
        timestamp: '2025-09-01T12:00:00.000000+00:00',
        data: { name: 'Fraud Detector', version: '4', source: `runs:/${RUN}/model`, run_id: RUN, tags: { semver: '3.0.0' }, description: null },
      },
    });
    const envelope = (entity: string, action: string, data: unknown) => JSON.stringify({ entity, action, timestamp: '2025-09-01T12:00:00+00:00', data });
    const cases: [string, string, unknown][] = [
      ['registered_model', 'created', { name: 'm', tags: {}, description: null }],
      ['model_version_tag', 'set', { name: 'm', version: '1', key: 'k', value: 'v' }],
      ['model_version_tag', 'deleted', { name: 'm', version: '1', key: 'k' }],
      ['model_version_alias', 'created', { name: 'm', alias: 'champion', version: '1' }],
      ['model_version_alias', 'deleted', { name: 'm', alias: 'champion' }],
    ];
    for (const [entity, action, data] of cases) {
      expect(parseMlflowWebhook(envelope(entity, action, data))).toEqual({ ok: true, event: { event: `${entity}.${action}`, timestamp: '2025-09-01T12:00:00+00:00', data } });
    }
    const withWorkspace = JSON.stringify({ entity: 'model_version_alias', action: 'deleted', timestamp: 't', data: { name: 'm', alias: 'a' }, workspace: 'default' });
    expect(parseMlflowWebhook(withWorkspace)).toMatchObject({ ok: true, event: { workspace: 'default' } });
  });

  it('ignores prompt and budget events, and refuses malformed bodies', () => {
    expect(parseMlflowWebhook(JSON.stringify({ entity: 'prompt_version', action: 'created', timestamp: 't', data: {} }))).toEqual({ ok: false, reason: 'ignored', event: 'prompt_version.created' });
    expect(parseMlflowWebhook('not json')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseMlflowWebhook(JSON.stringify({ entity: 'model_version', data: {} }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseMlflowWebhook(JSON.stringify({ entity: 'model_version', action: 'created', timestamp: 't', data: { name: 'm' } }))).toEqual({
      ok: false,
      reason: 'malformed',
      message: 'Unexpected data for model_version.created: version',
    });
  });
});

describe('the fake MLflow server', () => {
  let fake: FakeMlflow;
  beforeAll(async () => {
    fake = await startFakeMlflow(buildMlflowFixtures());
  });
  afterAll(async () => {
    await fake.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${fake.url}/api/2.0/mlflow/${path}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  async function allPages<T>(path: string, parse: (body: unknown) => { items: T[]; next?: string | undefined }) {
    const items: T[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get(`${path}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
      expect(status).toBe(200);
      const page = parse(body);
      items.push(...page.items);
      token = page.next;
      pages++;
    } while (token);
    return { items, pages };
  }

  const searchModels = (query: string) =>
    allPages(`registered-models/search?${query}`, (b) => {
      const p = MlflowSearchRegisteredModelsResponse.parse(b);
      return { items: p.registered_models, next: p.next_page_token };
    });
  const searchVersions = (name: string) =>
    allPages(`model-versions/search?filter=${encodeURIComponent(`name='${name}'`)}&max_results=100`, (b) => {
      const p = MlflowSearchModelVersionsResponse.parse(b);
      return { items: p.model_versions, next: p.next_page_token };
    });

  it('pages registered models with MLflow’s shapes, leaving empty lists out', async () => {
    const { items, pages } = await searchModels('max_results=1');
    expect(pages).toBe(2);
    expect(items.map((m) => m.name)).toEqual(['Fraud Detector', 'churn_model.v2']);
    expect(items[0]?.latest_versions.map((v) => [v.version, v.current_stage])).toEqual([
      ['1', 'Archived'],
      ['2', 'Production'],
    ]);
    const raw = (await get('registered-models/search?filter=name%3D%27churn_model.v2%27')).body as { registered_models: Record<string, unknown>[] };
    expect(Object.keys(raw.registered_models[0]!)).not.toContain('tags');
    expect(raw).not.toHaveProperty('next_page_token');
  });

  it('filters and pages model versions, name ASC then version DESC', async () => {
    const { items, pages } = await searchVersions('Fraud Detector');
    expect(pages).toBe(2);
    expect(items.map((v) => [v.version, v.status])).toEqual([
      ['3', 'PENDING_REGISTRATION'],
      ['2', 'READY'],
      ['1', 'READY'],
    ]);
    expect(items[2]?.aliases).toEqual([]);
  });

  it('answers runs/get, and MLflow’s error JSON for unknown runs, bad input and unknown paths', async () => {
    const found = await get(`runs/get?run_id=${FIXTURE_RUNS.fraudV1}`);
    expect(MlflowGetRunResponse.parse(found.body).run.data.params).toHaveLength(3);
    const missing = await get('runs/get?run_id=nope');
    expect(missing.status).toBe(404);
    expect(MlflowErrorResponse.parse(missing.body)).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=nope not found' });
    expect((await get('model-versions/search?filter=run_id%3D%27x%27')).status).toBe(400);
    expect((await get('registered-models/search?page_token=%%%')).status).toBe(400);
    expect((await get('experiments/search')).status).toBe(404);
    expect(fake.requests).toContain('/api/2.0/mlflow/experiments/search');
  });

  it('turns every fixture version into the expected registration or skip', async () => {
    const { items: models } = await searchModels('max_results=100');
    const results = new Map<string, MlflowImport>();
    for (const m of models) {
      for (const v of (await searchVersions(m.name)).items) {
        const res = await get(`runs/get?run_id=${v.run_id}`);
        const run = res.status === 200 ? MlflowGetRunResponse.parse(res.body).run : null;
        results.set(`${m.name} v${v.version}`, registrationFromMlflow({ model: m, version: v, run }));
      }
    }
    const { fraudV1, fraudV2, churnV1 } = FIXTURE_RUNS;
    const v1 = ok(results.get('Fraud Detector v1')!);
    expect(v1.model).toEqual({ name: 'fraud-detector', ownerTeam: 'risk-team', description: 'Scores card transactions for fraud.', servingService: 'fraud-api' });
    expect(v1.version).toMatchObject({ version: '1.0.0', artifactUri: `mlflow-artifacts:///1/${fraudV1}/artifacts/model`, tags: ['mlflow:1', 'mlflow-stage:Archived'] });
    expect(v1.version.contract.inputs.map((f) => f.name)).toEqual(['amount', 'merchant_category', 'account_age_days']);
    const v2 = ok(results.get('Fraud Detector v2')!);
    expect(v2.version).toMatchObject({ version: '2.1.0', artifactUri: `mlflow-artifacts:///1/${fraudV2}/artifacts/model`, tags: ['mlflow:2', 'mlflow-stage:Production', 'alias:champion'] });
    expect(v2.version.contract.inputs.at(-1)).toEqual({ name: 'device_country', type: 'string', nullable: true, required: false });
    expect(results.get('Fraud Detector v3')).toMatchObject({ ok: false, reason: 'not_ready' });
    const churn = ok(results.get('churn_model.v2 v1')!);
    expect(churn.model).toEqual({ name: 'churn-model-v2', ownerTeam: 'mlflow', description: '', servingService: 'churn-model-v2' });
    expect(churn.version).toMatchObject({
      version: '1.0.0',
      artifactUri: `s3://ml-models/2/${churnV1}/artifacts/churn`,
      artifactDigest: `sha256:${'ab'.repeat(32)}`,
      contract: { inputs: [{ name: 'features', type: 'float' }], outputs: [{ name: 'tensor_0', type: 'float' }] },
    });
    expect(churn.warnings).toEqual(['inputs tensor "features" has shape [-1,12]; Flightdeck records one float field and does not check the shape']);
  });

  it('serves new fixtures after set(), and requires a token when one is set', async () => {
    fake.set({ ...buildMlflowFixtures(), token: 's3cret', pageSize: 10 });
    expect((await get('registered-models/search')).status).toBe(401);
    const res = await fetch(`${fake.url}/api/2.0/mlflow/registered-models/search`, { headers: { Authorization: 'Bearer s3cret' } });
    expect(MlflowSearchRegisteredModelsResponse.parse(await res.json()).registered_models).toHaveLength(2);
    fake.set(buildMlflowFixtures());
  });
});
