#!/usr/bin/env node
// Verifies a Flightdeck audit export (JSON Lines) offline, with nothing but Node >= 18:
//
//   node verify-audit-export.mjs export.jsonl [--head <hash>] [--from <prevHash>]
//                                [--checkpoint checkpoint.json --public-key key.pem]
//
//   --head <hash>        the export must end exactly at this head hash (detects a truncated tail)
//   --from <prevHash>    the export is a contiguous range starting mid-chain; its first event must
//                        link to this hash (default: the genesis hash, i.e. a full export)
//   --checkpoint <file>  a signed checkpoint { seq, hash, at, signature }: its Ed25519 signature must
//                        verify with --public-key, and the export must contain that seq with that
//                        hash (detects a truncated tail, and a chain rewritten before the checkpoint)
//   Pass "-" as the file to read standard input.
//
// Prints "ok: N events, head <hash>" and exits 0, or names the first broken line and exits 1
// (2 for a usage or file error). Only an unfiltered export, or a contiguous seq range with
// --from, verifies: a filtered export leaves gaps in the chain by design.
//
// Self-contained on purpose (no imports from the repository), so an auditor can run it on a
// machine holding only Node and the exported file. The canonical JSON, the hashing, the line
// checks and the checkpoint payload below MUST match lib/domain/canonical-json.ts,
// lib/domain/audit-chain.ts (hashAuditEvent) and lib/domain/audit-export.ts; the unit test
// tests/unit/audit-export.test.ts runs this script on exports made by the TypeScript code to
// prove they agree.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const GENESIS_HASH = '0'.repeat(64);

// --- canonical JSON: a copy of lib/domain/canonical-json.ts -----------------------------------
function canonicalJson(value) {
  return JSON.stringify(normalise(value));
}

function normalise(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite numbers have no JSON form');
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    // fromEntries keeps a "__proto__" key as an own member, as the TypeScript version does.
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => value[key] !== undefined)
        .map((key) => [key, normalise(value[key])]),
    );
  }
  return value;
}

// --- hashAuditEvent: a copy of lib/domain/audit-chain.ts --------------------------------------
//   hash = sha256_hex( prevHash + "\n" + canonicalJson(content) )
function hashAuditEvent(prevHash, content) {
  const body = canonicalJson({
    id: content.id,
    occurredAt: content.occurredAt, // the ISO string, which is what a Date canonicalises to
    actorType: content.actorType,
    actorId: content.actorId,
    actorName: content.actorName,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    before: content.before,
    after: content.after,
    reason: content.reason,
    metadata: content.metadata,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

// --- line checks: a copy of parseExportLine in lib/domain/audit-export.ts ---------------------
const EXPORT_FIELDS = new Set([
  'seq', 'id', 'occurredAt', 'actorType', 'actorId', 'actorName', 'action', 'targetType', 'targetId',
  'before', 'after', 'reason', 'metadata', 'prevHash', 'hash',
]);
const REQUIRED_STRINGS = ['id', 'occurredAt', 'actorType', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'prevHash', 'hash'];

function parseExportLine(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${error.message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  for (const key of Object.keys(value)) {
    if (!EXPORT_FIELDS.has(key)) return { error: `unexpected field "${key}" (not covered by the hash)` };
  }
  if (!Number.isSafeInteger(value.seq)) return { error: 'seq must be an integer' };
  for (const field of REQUIRED_STRINGS) {
    if (typeof value[field] !== 'string') return { error: `${field} must be a string` };
  }
  if (value.reason !== undefined && value.reason !== null && typeof value.reason !== 'string') {
    return { error: 'reason must be a string or null' };
  }
  return { event: value };
}

// --- checkpoint payload: a copy of checkpointPayload in lib/domain/audit-export.ts ------------
function checkpointPayload({ seq, hash, at }) {
  return canonicalJson({ purpose: 'flightdeck-audit-checkpoint', seq, hash, at });
}

// --- command line -----------------------------------------------------------------------------
function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node verify-audit-export.mjs <export.jsonl|-> [--head <hash>] [--from <prevHash>] [--checkpoint <checkpoint.json> --public-key <key.pem>]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { file: null, head: null, from: null, checkpoint: null, publicKey: null };
  const flags = { '--head': 'head', '--from': 'from', '--checkpoint': 'checkpoint', '--public-key': 'publicKey' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage();
    if (arg in flags) {
      const value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      options[flags[arg]] = value;
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else if (options.file === null) {
      options.file = arg;
    } else {
      usage(`unexpected argument ${arg}`);
    }
  }
  if (options.file === null) usage('no export file given');
  if ((options.checkpoint === null) !== (options.publicKey === null)) usage('--checkpoint and --public-key go together');
  return options;
}

function loadCheckpoint(checkpointFile, publicKeyFile) {
  let checkpoint;
  let key;
  try {
    checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    key = createPublicKey(readFileSync(publicKeyFile, 'utf8'));
  } catch (error) {
    console.error(`error: cannot read the checkpoint or the public key: ${error.message}`);
    process.exit(2);
  }
  const { seq, hash, at, signature } = checkpoint ?? {};
  if (!Number.isSafeInteger(seq) || seq < 0 || !/^[0-9a-f]{64}$/.test(hash ?? '') || typeof at !== 'string' || typeof signature !== 'string') {
    console.error('error: the checkpoint must be a JSON object { seq, hash, at, signature }');
    process.exit(2);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    console.error(`error: the public key must be Ed25519, got ${key.asymmetricKeyType}`);
    process.exit(2);
  }
  const signed =
    /^[A-Za-z0-9+/]{86}==$/.test(signature) &&
    verify(null, Buffer.from(checkpointPayload({ seq, hash, at }), 'utf8'), key, Buffer.from(signature, 'base64'));
  if (!signed) {
    console.log(`broken: the checkpoint signature does not verify with ${publicKeyFile} (forged or altered checkpoint, or the wrong key)`);
    process.exit(1);
  }
  return { seq, hash, at };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const checkpoint = options.checkpoint ? loadCheckpoint(options.checkpoint, options.publicKey) : null;

  const input = options.file === '-' ? process.stdin : createReadStream(options.file, { encoding: 'utf8' });
  input.on('error', (error) => {
    console.error(`error: cannot read ${options.file}: ${error.message}`);
    process.exit(2);
  });

  // The same walk as ExportVerifier in lib/domain/audit-export.ts.
  let expectedPrev = options.from ?? GENESIS_HASH;
  let checked = 0;
  let lineNo = 0;
  let last = null;
  let checkpointSeen = false;
  let broken = null;

  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (let text of lines) {
    lineNo += 1;
    if (lineNo === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') continue;
    const parsed = parseExportLine(text);
    if (parsed.error) {
      broken = { line: lineNo, seq: null, id: null, problem: 'parse_error', detail: parsed.error };
      break;
    }
    const event = parsed.event;
    checked += 1;
    const at = { line: lineNo, seq: event.seq, id: event.id };
    if (event.prevHash !== expectedPrev) {
      broken = { ...at, problem: 'link_broken', detail: 'the previous-hash does not match the event before it (an event was removed or reordered)' };
      break;
    }
    if (hashAuditEvent(event.prevHash, event) !== event.hash) {
      broken = { ...at, problem: 'content_changed', detail: 'the stored hash does not match the event content (the event was edited)' };
      break;
    }
    if (checkpoint && (event.seq === checkpoint.seq || event.hash === checkpoint.hash)) {
      if (event.seq !== checkpoint.seq || event.hash !== checkpoint.hash) {
        broken = {
          ...at,
          problem: 'checkpoint_mismatch',
          detail: `the signed checkpoint says seq ${checkpoint.seq} has hash ${checkpoint.hash}, the export has seq ${event.seq} with hash ${event.hash} (the chain was rewritten)`,
        };
        break;
      }
      checkpointSeen = true;
    }
    expectedPrev = event.hash;
    last = at;
  }
  lines.close();
  input.destroy?.();

  if (!broken) {
    const atEnd = { line: last?.line ?? 0, seq: last?.seq ?? null, id: last?.id ?? null };
    if (checkpoint && !checkpointSeen) {
      broken = { ...atEnd, problem: 'checkpoint_missing', detail: `the export ends before the signed checkpoint at seq ${checkpoint.seq} (its tail was truncated, or the checkpoint lies outside this range)` };
    } else if (options.head !== null && options.head !== expectedPrev) {
      broken = { ...atEnd, problem: 'head_mismatch', detail: `the export ends at head ${expectedPrev}, not the expected ${options.head} (events were removed from the end, or added after it)` };
    }
  }

  if (broken) {
    const where = broken.seq === null ? `line ${broken.line}` : `line ${broken.line} (seq ${broken.seq}, id ${broken.id})`;
    console.log(`broken at ${where}: ${broken.problem}: ${broken.detail}`);
    console.log(`checked ${checked} events; the chain is intact up to head ${expectedPrev}`);
    process.exit(1);
  }
  console.log(`ok: ${checked} events, head ${expectedPrev}`);
  if (checkpoint) console.log(`checkpoint: seq ${checkpoint.seq} signed at ${checkpoint.at} is in the export`);
  process.exit(0);
}

main().catch((error) => {
  console.error(`error: ${error?.message ?? error}`);
  process.exit(2);
});
