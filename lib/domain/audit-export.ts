import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashAuditEvent, type AuditContent, type BrokenLink, type ChainedEvent } from './audit-chain';
import { isPlainObject } from './audit-diff';
import { canonicalJson } from './canonical-json';

/**
 * Exporting the audit chain, and proving offline that an export is the untouched chain.
 *
 * Two formats:
 *  - JSON Lines (`toJsonLine`): the verifiable one. One canonical JSON object per line with exactly
 *    the fields `hashAuditEvent` covers plus `seq`, `prevHash` and `hash`, so anyone can recompute
 *    every hash with `verifyExport` or, with nothing but Node, `scripts/verify-audit-export.mjs`.
 *  - CSV (`csvHeader` + `toCsvRow`): for spreadsheets and humans. It is deliberately NOT
 *    byte-faithful (formula injection guard, JSON re-encoding), so it cannot be verified; keep
 *    the JSONL export as the evidence.
 *
 * What verifies: only an unfiltered export, or a contiguous seq range of the chain. A filtered
 * export (by actor, action, target, …) leaves out the events in between, so its links do not
 * join up and it fails with `link_broken` by design. A contiguous range that starts mid-chain
 * verifies with `from: { prevHash }`, where prevHash is the hash of the event just before the
 * range, taken from somewhere you trust (a signed checkpoint, the head of a previous verified
 * export) — taking it from the range's own first line only proves the range is self-consistent.
 *
 * What the chain alone cannot show: a removed tail (the shorter chain is still valid) or a chain
 * rewritten from some event onwards with freshly computed hashes (the hash is not keyed). Both
 * are caught by comparing against a signed checkpoint kept outside the database: `expectedHead`
 * (the export must end exactly at that head) or `checkpoint` (the export must contain that seq
 * with that hash; use this when the export runs past the checkpoint).
 */

// ---------------------------------------------------------------------------------------------
// JSON Lines
// ---------------------------------------------------------------------------------------------

/** The content fields `hashAuditEvent` covers, in its order. */
export const HASHED_FIELDS = [
  'id',
  'occurredAt',
  'actorType',
  'actorId',
  'actorName',
  'action',
  'targetType',
  'targetId',
  'before',
  'after',
  'reason',
  'metadata',
] as const satisfies ReadonlyArray<keyof AuditContent>;

/** Every field of a JSONL line: the hashed content plus the chain fields. Nothing else is allowed. */
export const EXPORT_FIELDS = ['seq', ...HASHED_FIELDS, 'prevHash', 'hash'] as const;

/** A stored row; extra columns (joins, computed fields) are ignored by the exporters. */
export type ExportableEvent = ChainedEvent;

/**
 * One JSON Lines line (newline-terminated) for an event. Canonical JSON: keys sorted, so the
 * same event always gives the same bytes; `occurredAt` (and any Date inside before/after/metadata)
 * as an ISO string with milliseconds, exactly the text `hashAuditEvent` hashed. Members that are
 * undefined are left out, which is also how the hash saw them.
 */
export function toJsonLine(event: ExportableEvent): string {
  const line: Record<string, unknown> = {};
  for (const field of EXPORT_FIELDS) line[field] = event[field];
  return `${canonicalJson(line)}\n`;
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorType',
  'actorId',
  'actorName',
  'action',
  'targetType',
  'targetId',
  'reason',
  'before',
  'after',
  'metadata',
  'id',
  'prevHash',
  'hash',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

const CSV_JSON_COLUMNS: ReadonlySet<CsvColumn> = new Set(['before', 'after', 'metadata']);

/** The header record, CRLF-terminated as RFC 4180 says. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.map(csvCell).join(',')}\r\n`;
}

/**
 * One CSV record (RFC 4180, CRLF-terminated) for an event: before/after/metadata as compact
 * canonical JSON text, null/undefined values as empty cells, occurredAt as ISO 8601.
 *
 * Formula injection: spreadsheet programs run a cell that starts with =, +, - or @ (and tab or CR
 * can smuggle one in) as a formula, and audit reasons and names are user-typed text. Every such
 * cell gets a leading apostrophe (OWASP's advice), which spreadsheets hide but which changes
 * the text — so a CSV export is for reading, never for verifying. The JSONL export is not escaped
 * this way; it is the verifiable one.
 */
export function toCsvRow(event: ExportableEvent): string {
  return `${CSV_COLUMNS.map((column) => csvCell(csvValue(event, column))).join(',')}\r\n`;
}

function csvValue(event: ExportableEvent, column: CsvColumn): string {
  const value: unknown = event[column];
  if (value === null || value === undefined) return '';
  if (CSV_JSON_COLUMNS.has(column)) return canonicalJson(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Formula guard first, then RFC 4180 quoting (the guard may add nothing that needs quoting). */
export function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// ---------------------------------------------------------------------------------------------
// Verifying an export
// ---------------------------------------------------------------------------------------------

export type ExportProblem =
  | BrokenLink['problem'] // content_changed | link_broken, as verifyChain names them
  | 'parse_error' // the line is not an export line (bad JSON, missing/unknown/mistyped field)
  | 'checkpoint_mismatch' // the event at the checkpoint's seq is not the signed one: chain rewritten
  | 'checkpoint_missing' // the export ends before the checkpoint: tail truncated (or range too short)
  | 'head_mismatch'; // the export does not end at the expected head: tail truncated or extended

export type ExportBreak = {
  /** 1-based line in the export; for end-of-file problems, the line of the last event (0 if none). */
  line: number;
  seq: number | null;
  id: string | null;
  problem: ExportProblem;
  detail: string;
};

/** verifyChain's report, with the break located by line and the export-only problems added. */
export type ExportReport = { ok: boolean; checked: number; headHash: string; firstBroken: ExportBreak | null };

export type VerifyExportOptions = {
  /** Where the export starts: the genesis (default, a full export) or, for a contiguous range
   * starting mid-chain, the hash of the event just before it (from a trusted source). */
  from?: 'genesis' | { prevHash: string };
  /** The export must end exactly here — e.g. a signed checkpoint's hash taken at export time. */
  expectedHead?: string;
  /** The export must contain this seq with this hash — a signed checkpoint older than the export. */
  checkpoint?: { seq: number; hash: string };
};

/** The shape of a parsed export line. occurredAt stays the ISO text that was hashed. */
export type ExportedEvent = Omit<ChainedEvent, 'occurredAt'> & { occurredAt: string };

const REQUIRED_STRINGS = ['id', 'occurredAt', 'actorType', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'prevHash', 'hash'] as const;
const ALLOWED_FIELDS: ReadonlySet<string> = new Set(EXPORT_FIELDS);

/**
 * Parses one export line, or says why it is not one. Unknown fields are refused: they would not
 * be covered by the hash, so a forger could add misleading ones undetected.
 */
export function parseExportLine(text: string): { event: ExportedEvent } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  if (!isPlainObject(value)) return { error: 'not a JSON object' };
  for (const key of Object.keys(value)) {
    if (!ALLOWED_FIELDS.has(key)) return { error: `unexpected field "${key}" (not covered by the hash)` };
  }
  if (!Number.isSafeInteger(value.seq)) return { error: 'seq must be an integer' };
  for (const field of REQUIRED_STRINGS) {
    if (typeof value[field] !== 'string') return { error: `${field} must be a string` };
  }
  if (value.reason !== undefined && value.reason !== null && typeof value.reason !== 'string') {
    return { error: 'reason must be a string or null' };
  }
  return { event: value as ExportedEvent };
}

/** hashAuditEvent over a parsed line. canonicalJson writes a Date as its ISO string, so hashing
 * the exported ISO text hashes the same bytes as the original Date did (and any other spelling of
 * the same instant does not, which is right: the line was altered). */
function hashExported(event: ExportedEvent): string {
  return hashAuditEvent(event.prevHash, { ...event, occurredAt: event.occurredAt as unknown as Date });
}

/**
 * Streams an export one line at a time (memory stays flat), like ChainVerifier but for text lines.
 * Empty lines are skipped; a trailing "\n" or "\r\n" on a line is ignored, so `toJsonLine`
 * output can be pushed as is. Stops judging after the first problem.
 */
export class ExportVerifier {
  private readonly expectedHead: string | undefined;
  private readonly checkpoint: { seq: number; hash: string } | undefined;
  private expectedPrev: string;
  private checked = 0;
  private lineNo = 0;
  private last: { line: number; seq: number; id: string } | null = null;
  private checkpointSeen = false;
  private broken: ExportBreak | null = null;

  constructor(opts: VerifyExportOptions = {}) {
    this.expectedPrev = opts.from && opts.from !== 'genesis' ? opts.from.prevHash : GENESIS_HASH;
    this.expectedHead = opts.expectedHead;
    this.checkpoint = opts.checkpoint;
  }

  pushLine(raw: string): void {
    if (this.broken) return;
    this.lineNo += 1;
    let text = raw.replace(/\r?\n$/, '');
    if (this.lineNo === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return;
    const parsed = parseExportLine(text);
    if ('error' in parsed) {
      this.broken = { line: this.lineNo, seq: null, id: null, problem: 'parse_error', detail: parsed.error };
      return;
    }
    const event = parsed.event;
    this.checked += 1;
    const at = { line: this.lineNo, seq: event.seq, id: event.id };
    if (event.prevHash !== this.expectedPrev) {
      this.broken = { ...at, problem: 'link_broken', detail: 'the previous-hash does not match the event before it (an event was removed or reordered)' };
      return;
    }
    if (hashExported(event) !== event.hash) {
      this.broken = { ...at, problem: 'content_changed', detail: 'the stored hash does not match the event content (the event was edited)' };
      return;
    }
    if (this.checkpoint && (event.seq === this.checkpoint.seq || event.hash === this.checkpoint.hash)) {
      if (event.seq !== this.checkpoint.seq || event.hash !== this.checkpoint.hash) {
        this.broken = {
          ...at,
          problem: 'checkpoint_mismatch',
          detail: `the signed checkpoint says seq ${this.checkpoint.seq} has hash ${this.checkpoint.hash}, the export has seq ${event.seq} with hash ${event.hash} (the chain was rewritten)`,
        };
        return;
      }
      this.checkpointSeen = true;
    }
    this.expectedPrev = event.hash;
    this.last = at;
  }

  report(): ExportReport {
    const base = { checked: this.checked, headHash: this.expectedPrev };
    if (this.broken) return { ok: false, ...base, firstBroken: this.broken };
    const atEnd = { line: this.last?.line ?? 0, seq: this.last?.seq ?? null, id: this.last?.id ?? null };
    if (this.checkpoint && !this.checkpointSeen) {
      const detail = `the export ends before the signed checkpoint at seq ${this.checkpoint.seq} (its tail was truncated, or the checkpoint lies outside this range)`;
      return { ok: false, ...base, firstBroken: { ...atEnd, problem: 'checkpoint_missing', detail } };
    }
    if (this.expectedHead !== undefined && this.expectedHead !== this.expectedPrev) {
      const detail = `the export ends at head ${this.expectedPrev}, not the expected ${this.expectedHead} (events were removed from the end, or added after it)`;
      return { ok: false, ...base, firstBroken: { ...atEnd, problem: 'head_mismatch', detail } };
    }
    return { ok: true, ...base, firstBroken: null };
  }
}

/** Verifies a JSONL export (see the top of this file for what can and cannot verify). */
export function verifyExport(lines: Iterable<string>, opts: VerifyExportOptions = {}): ExportReport {
  const verifier = new ExportVerifier(opts);
  for (const line of lines) verifier.pushLine(line);
  return verifier.report();
}

// ---------------------------------------------------------------------------------------------
// Signed checkpoints
// ---------------------------------------------------------------------------------------------

export type Checkpoint = { seq: number; hash: string; at: Date | string };

const CHECKPOINT_PURPOSE = 'flightdeck-audit-checkpoint';
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The exact text a checkpoint signature covers: canonical JSON of the head at a moment, with a
 * purpose tag so the signature cannot be passed off as anything else:
 *   {"at":"2025-01-01T00:00:00.000Z","hash":"…","purpose":"flightdeck-audit-checkpoint","seq":42}
 * `at` may be a Date or the ISO string read back from a checkpoint file.
 */
export function checkpointPayload(checkpoint: Checkpoint): string {
  const { seq, hash, at } = checkpoint;
  if (!Number.isSafeInteger(seq) || seq < 0) throw new TypeError('checkpointPayload: seq must be a non-negative integer');
  if (!HEX64.test(hash)) throw new TypeError('checkpointPayload: hash must be 64 lower-case hex characters');
  if (at instanceof Date ? Number.isNaN(at.getTime()) : typeof at !== 'string' || at === '') {
    throw new TypeError('checkpointPayload: at must be a valid Date or an ISO string');
  }
  return canonicalJson({ purpose: CHECKPOINT_PURPOSE, seq, hash, at });
}

function ed25519Key(pem: string, kind: 'private' | 'public'): KeyObject {
  const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  // Refuse other key types outright: sign/verify(null, …) would quietly pick another scheme.
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`checkpoint keys must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

/** Ed25519 signature of the payload, base64. */
export function signCheckpoint(payload: string, privateKeyPem: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), ed25519Key(privateKeyPem, 'private')).toString('base64');
}

const BASE64_SIG = /^[A-Za-z0-9+/]{86}==$/; // 64 bytes

/** True when the signature is the key's Ed25519 signature of exactly this payload. A malformed
 * signature is false; a public key that is not an Ed25519 PEM throws (a configuration error). */
export function verifyCheckpoint(payload: string, signatureBase64: string, publicKeyPem: string): boolean {
  const key = ed25519Key(publicKeyPem, 'public');
  if (!BASE64_SIG.test(signatureBase64)) return false;
  return verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
}

/** PKCS#8 DER for an Ed25519 private key, up to the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Minimum secret length: the key is only as hard to forge as the secret is to guess. */
export const CHECKPOINT_SECRET_MIN_LENGTH = 16;

/**
 * A deterministic Ed25519 key pair from a server secret, so every process (and a restart) signs
 * with the same key without a key file: seed = sha256("flightdeck-audit-checkpoint:" + secret).
 * Publish the public key PEM; anyone holding the secret can sign checkpoints, so keep it secret.
 */
export function checkpointKeyPair(secret: string): { privateKeyPem: string; publicKeyPem: string } {
  if (typeof secret !== 'string' || secret.length < CHECKPOINT_SECRET_MIN_LENGTH) {
    throw new TypeError(`checkpointKeyPair: the secret must be at least ${CHECKPOINT_SECRET_MIN_LENGTH} characters`);
  }
  const seed = createHash('sha256').update(`${CHECKPOINT_PURPOSE}:${secret}`, 'utf8').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
  };
}
