import type { Contract, ContractField, FieldType } from './contract';
import { MlflowLoggedModelEntry, type MlflowSignature } from './mlflow-shapes';

/**
 * An MLflow model signature turned into a Flightdeck contract. The JSON forms come from
 * mlflow/types/schema.py: a column spec is `{"type": "double", "name": "amount", "required": true}`
 * (name and required may be missing in older models), a tensor spec is
 * `{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": …}`.
 * Anything Flightdeck cannot say exactly becomes a readable warning, never a failure: a model
 * without a usable signature is still worth importing with an empty contract.
 */

const COLUMN_TYPES: Record<string, FieldType> = {
  boolean: 'boolean',
  integer: 'integer',
  long: 'integer',
  float: 'float',
  double: 'float',
  string: 'string',
  datetime: 'datetime',
  // MLflow serving takes binary columns base64-encoded, so a string is what a caller sends.
  binary: 'string',
};

/**
 * array, object, map, sparkml_vector and any (MLflow 2.10+) nest other types. Flightdeck fields are
 * flat, so they are recorded as strings (their JSON text) and a warning says the structure is not
 * checked. `any` may also hold null (AnyType), hence nullable.
 */
const COMPLEX_TYPES = new Set(['array', 'object', 'map', 'sparkml_vector', 'any']);

const MAX_FIELDS = 2000;
const MAX_NAME = 200;

/** numpy dtype names (TensorInfo.to_dict writes `dtype.name`). */
export function fieldTypeOfDtype(dtype: string): FieldType | null {
  const d = dtype.trim().toLowerCase();
  if (d === 'bool' || d === 'bool_' || d === 'boolean') return 'boolean';
  if (/^u?int(8|16|32|64)?$/.test(d) || d === 'long') return 'integer';
  if (/^float(16|32|64|96|128)?$/.test(d) || d === 'double' || d === 'half') return 'float';
  if (d === 'str' || d === 'str_' || d === 'unicode' || d === 'object' || d === 'bytes' || d === 'bytes_' || d === 'string') return 'string';
  if (d.startsWith('datetime64')) return 'datetime';
  return null;
}

type Side = 'inputs' | 'outputs';
type Spec = Record<string, unknown>;

function fieldFromSpec(spec: Spec, index: number, side: Side, warnings: string[]): ContractField | null {
  const rawName = typeof spec.name === 'string' ? spec.name.trim() : '';
  const required = spec.required !== false;
  if (spec.type === 'tensor') {
    const tensor = (spec['tensor-spec'] ?? {}) as Spec;
    const dtype = typeof tensor.dtype === 'string' ? tensor.dtype : '';
    const name = rawName || `tensor_${index}`;
    let type = fieldTypeOfDtype(dtype);
    if (!type) {
      warnings.push(`${side} tensor "${name}" has dtype ${JSON.stringify(dtype)}, which Flightdeck has no type for; recorded as string`);
      type = 'string';
    }
    const shape = Array.isArray(tensor.shape) ? tensor.shape : [];
    if (shape.length > 1) {
      warnings.push(`${side} tensor "${name}" has shape ${JSON.stringify(shape)}; Flightdeck records one ${type} field and does not check the shape`);
    }
    return { name, type, nullable: false, required };
  }
  const name = rawName || `column_${index}`;
  if (typeof spec.type !== 'string') {
    warnings.push(`${side}[${index}] has no type; left out of the contract`);
    return null;
  }
  const known = COLUMN_TYPES[spec.type];
  if (known) {
    if (spec.type === 'binary') warnings.push(`${side} "${name}" is binary; recorded as string (base64, as MLflow serving expects)`);
    // MLflow lets an optional column be missing or None, which is what nullable says here.
    return { name, type: known, nullable: !required, required };
  }
  if (COMPLEX_TYPES.has(spec.type)) {
    const what = spec.type === 'any' ? 'of any type' : `${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type}`;
    warnings.push(`${side} "${name}" is ${what}; recorded as string (its JSON) without checking the structure`);
    return { name, type: 'string', nullable: spec.type === 'any' || !required, required };
  }
  warnings.push(`${side} "${name}" has unknown type ${JSON.stringify(spec.type)}; recorded as string`);
  return { name, type: 'string', nullable: !required, required };
}

/** One side of a signature: a JSON string of a list of specs. */
export function fieldsFromSchemaJson(json: string | null | undefined, side: Side, warnings: string[]): ContractField[] {
  if (json === null || json === undefined || json.trim() === '') return [];
  let specs: unknown;
  try {
    specs = JSON.parse(json);
  } catch {
    warnings.push(`signature ${side} is not valid JSON; ${side} left empty`);
    return [];
  }
  if (!Array.isArray(specs)) {
    warnings.push(`signature ${side} is not a list of column or tensor specs; ${side} left empty`);
    return [];
  }
  const fields: ContractField[] = [];
  const seen = new Set<string>();
  specs.forEach((spec, index) => {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      warnings.push(`${side}[${index}] is not a column or tensor spec; left out of the contract`);
      return;
    }
    const field = fieldFromSpec(spec as Spec, index, side, warnings);
    if (!field) return;
    if (field.name.length > MAX_NAME) {
      warnings.push(`${side} name "${field.name.slice(0, 40)}…" is longer than ${MAX_NAME} characters; shortened`);
      field.name = field.name.slice(0, MAX_NAME);
    }
    // The contract matches fields by name, so a repeated name cannot be kept as is.
    if (seen.has(field.name)) {
      const renamed = uniqueName(field.name, seen);
      warnings.push(`${side} "${field.name}" appears more than once; the repeat is recorded as "${renamed}"`);
      field.name = renamed;
    }
    seen.add(field.name);
    fields.push(field);
  });
  if (fields.length > MAX_FIELDS) {
    warnings.push(`signature ${side} has ${fields.length} fields; only the first ${MAX_FIELDS} are kept`);
    return fields.slice(0, MAX_FIELDS);
  }
  return fields;
}

function uniqueName(name: string, seen: Set<string>): string {
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = name.slice(0, MAX_NAME - suffix.length) + suffix;
    if (!seen.has(candidate)) return candidate;
  }
}

export type ContractMapping = { contract: Contract; warnings: string[] };

/** The contract a signature describes, and what got lost on the way. */
export function contractFromSignature(signature: MlflowSignature | null | undefined): ContractMapping {
  const warnings: string[] = [];
  if (!signature) return { contract: { inputs: [], outputs: [] }, warnings };
  const inputs = fieldsFromSchemaJson(signature.inputs, 'inputs', warnings);
  const outputs = fieldsFromSchemaJson(signature.outputs, 'outputs', warnings);
  const params = countParams(signature.params);
  if (params > 0) warnings.push(`${params} inference parameter${params === 1 ? '' : 's'} in the signature ${params === 1 ? 'is' : 'are'} not part of a Flightdeck contract`);
  return { contract: { inputs, outputs }, warnings };
}

function countParams(json: string | null | undefined): number {
  if (!json) return 0;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

/**
 * The artifact path inside the run a version's source points at: what follows `runs:/<run_id>/`,
 * or `/<run_id>/artifacts/` (else the last `/artifacts/`) in a storage URI. Null when the source
 * names no run artifact, as MLflow 3's `models:/m-<id>` does.
 */
export function artifactPathFromSource(source: string, runId?: string | null): string | null {
  const runs = /^runs:\/+[^/]+\/(.+)$/.exec(source);
  if (runs) return trimSlashes(runs[1]!);
  const marker = runId ? `/${runId}/artifacts/` : null;
  const at = marker && source.includes(marker) ? source.indexOf(marker) + marker.length : lastArtifactsIndex(source);
  return at === null ? null : trimSlashes(source.slice(at)) || null;
}

function lastArtifactsIndex(source: string): number | null {
  const i = source.lastIndexOf('/artifacts/');
  return i < 0 ? null : i + '/artifacts/'.length;
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

export type SignatureLookup = { signature: MlflowSignature | null; warnings: string[] };

/**
 * The signature of the model a version was registered from, read from the run tag
 * `mlflow.log-model.history`: the entry whose artifact_path matches the version's source, else the
 * only entry when there is exactly one. Runs logged with MLflow 2.16+ keep no signature there (see
 * MlflowLoggedModelEntry); the caller then reads the MLmodel file and passes its signature instead.
 */
export function signatureFromHistory(historyJson: string | undefined, source: string, runId?: string | null): SignatureLookup {
  if (!historyJson) return { signature: null, warnings: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(historyJson);
  } catch {
    // MLflow caps tag values (5,000 characters in older stores), so a long history can arrive cut off.
    return { signature: null, warnings: ['run tag mlflow.log-model.history is not valid JSON (possibly truncated); no signature read'] };
  }
  const entries = (Array.isArray(raw) ? raw : []).flatMap((e) => {
    const parsed = MlflowLoggedModelEntry.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
  const path = artifactPathFromSource(source, runId);
  const matching = path === null ? [] : entries.filter((e) => e.artifact_path != null && trimSlashes(e.artifact_path) === path);
  // Logging twice to one path leaves two entries; the later one is what the path holds now.
  const entry = matching.at(-1) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!entry) {
    const why = entries.length === 0 ? 'lists no models' : `has ${entries.length} models and none at ${path === null ? 'the version source' : `"${path}"`}`;
    return { signature: null, warnings: [`run tag mlflow.log-model.history ${why}; no signature read`] };
  }
  return { signature: entry.signature ?? null, warnings: [] };
}
