import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashAuditEvent, verifyChain, type AuditContent, type ChainedEvent } from '@/lib/domain/audit-chain';
import { auditDiff } from '@/lib/domain/audit-diff';
import {
  CSV_COLUMNS,
  EXPORT_FIELDS,
  ExportVerifier,
  checkpointKeyPair,
  checkpointPayload,
  csvCell,
  csvHeader,
  parseExportLine,
  signCheckpoint,
  toCsvRow,
  toJsonLine,
  verifyCheckpoint,
  verifyExport,
  type ExportReport,
} from '@/lib/domain/audit-export';

// ---------------------------------------------------------------------------------------------
// A chain with awkward content
// ---------------------------------------------------------------------------------------------

const REASONS: Array<string | null> = [
  null,
  'routine promotion',
  'rolled back, error rate at 4%',
  'he said "ship it"',
  'line one\nline two\r\nline three',
  '=HYPERLINK("http://evil.example","click")',
  '+1 from the on-call',
  '-2 regression in AUC',
  '@SUM(A1:A9)',
  '\tindented',
  'Zürich → 東京 🚀 naïve café',
  '',
];

const content = (i: number): AuditContent => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  occurredAt: new Date(Date.UTC(2025, 0, 1, 12, 0, i, i * 7)),
  actorType: i % 5 === 0 ? 'api_key' : 'user',
  actorId: `u-${i % 3}`,
  actorName: i % 4 === 0 ? 'Ada, "the admin"' : 'Grace Hopper',
  action: i === 1 ? 'model.create' : 'release.transition',
  targetType: 'release',
  targetId: `rel-${i}`,
  before:
    i === 1
      ? null
      : {
          stage: 'staging',
          weights: [0.1, 0.2, { canary: i, notes: ['a,b', 'c"d'] }],
          owner: { team: 'risk', on_call: ['ada', 'grace'] },
          '10': 'ten',
          '9': 'nine',
        },
  after: {
    stage: i % 2 ? 'production' : 'staging',
    weights: [0.1, 0.25, { canary: i + 1, notes: ['a,b'] }],
    owner: { team: i % 3 ? 'risk' : 'fraud', on_call: ['ada'] },
    label: `v${i} — ünïcödé "quoted", comma\nnewline`,
    big: 1e21,
    tiny: 5e-324,
    neg: -0,
    flag: i % 2 === 0,
    nothing: null,
    approvedAt: '2025-01-01T00:00:00.123Z',
  },
  reason: REASONS[i % REASONS.length]!,
  metadata: { requestId: `req-${i}`, ip: '10.0.0.1', userAgent: 'curl/8.0', via: i % 2 ? 'ui' : 'api' },
});

function buildChain(n: number, make: (i: number) => AuditContent = content, startPrev = GENESIS_HASH, startSeq = 1): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = startPrev;
  for (let i = startSeq; i < startSeq + n; i++) {
    const c = make(i);
    const hash = hashAuditEvent(prevHash, c);
    events.push({ ...c, seq: i, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const N = 36;
const chain = buildChain(N);
const lines = chain.map(toJsonLine);
const head = chain[N - 1]!.hash;

/** Replace one JSON member of a line's text, as a forger editing the file would. */
const editLine = (line: string, edit: (obj: Record<string, unknown>) => void): string => {
  const obj = JSON.parse(line) as Record<string, unknown>;
  edit(obj);
  return `${JSON.stringify(obj)}\n`;
};

// ---------------------------------------------------------------------------------------------
// JSON Lines
// ---------------------------------------------------------------------------------------------

describe('toJsonLine', () => {
  it('writes one newline-terminated line per event, with no raw line breaks inside', () => {
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    }
  });

  it('holds exactly the hashed fields plus seq, prevHash and hash, keys in sorted order', () => {
    const parsed = JSON.parse(lines[3]!) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...EXPORT_FIELDS].sort());
    expect(lines[3]!.startsWith('{"action":')).toBe(true);
  });

  it('writes occurredAt as ISO 8601 with milliseconds', () => {
    expect(JSON.parse(lines[4]!).occurredAt).toBe('2025-01-01T12:00:05.035Z');
    expect(JSON.parse(lines[0]!).occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('is stable: the same event in any key order gives the same bytes', () => {
    const event = chain[5]!;
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as ChainedEvent;
    expect(toJsonLine(reordered)).toBe(toJsonLine(event));
  });

  it('drops extra columns of a row', () => {
    const row = { ...chain[0]!, modelName: 'joined column' };
    expect(toJsonLine(row)).toBe(lines[0]);
  });

  it('round-trips: every parsed line rehashes to its stored hash', () => {
    for (const line of lines) {
      const parsed = JSON.parse(line);
      expect(hashAuditEvent(parsed.prevHash, parsed)).toBe(parsed.hash);
    }
  });

  it('keeps nested dates, "__proto__" keys and undefined members hashable', () => {
    const tricky = buildChain(3, (i) => ({
      ...content(i),
      before: i === 2 ? undefined : JSON.parse('{"__proto__":{"polluted":true},"x":1}'),
      after: { at: new Date(Date.UTC(2025, 5, 1)), gone: undefined, list: [1, undefined, 'lone \ud800 surrogate'] },
    }));
    const report = verifyExport(tricky.map(toJsonLine));
    expect(report).toEqual({ ok: true, checked: 3, headHash: tricky[2]!.hash, firstBroken: null });
    expect(toJsonLine(tricky[0]!)).toContain('"__proto__":{"polluted":true}');
  });
});

describe('verifyExport', () => {
  it('accepts the full export and reports the same head as verifyChain', () => {
    const report = verifyExport(lines);
    expect(report).toEqual({ ok: true, checked: N, headHash: head, firstBroken: null });
    expect(report.headHash).toBe(verifyChain(chain).headHash);
  });

  it('accepts the export split from one text, with CRLF line ends and a trailing empty line', () => {
    const text = lines.join('').replace(/\n/g, '\r\n');
    expect(verifyExport(text.split('\n'))).toMatchObject({ ok: true, checked: N, headHash: head });
  });

  it('skips blank lines but keeps counting them for line numbers', () => {
    const withBlanks = ['', lines[0]!, '   ', lines[1]!, editLine(lines[2]!, (o) => (o.reason = 'x'))];
    expect(verifyExport(withBlanks).firstBroken).toMatchObject({ line: 5, seq: 3, problem: 'content_changed' });
  });

  it('ignores a UTF-8 byte order mark on the first line', () => {
    expect(verifyExport([`\uFEFF${lines[0]!}`, ...lines.slice(1)]).ok).toBe(true);
  });

  it('accepts an empty export, whose head is the genesis hash', () => {
    expect(verifyExport([])).toEqual({ ok: true, checked: 0, headHash: GENESIS_HASH, firstBroken: null });
  });

  it('names an edited field', () => {
    const tampered = [...lines];
    tampered[6] = editLine(lines[6]!, (o) => (o.actorName = 'Someone Else'));
    expect(verifyExport(tampered)).toEqual({
      ok: false,
      checked: 7,
      headHash: chain[5]!.hash,
      firstBroken: { line: 7, seq: 7, id: chain[6]!.id, problem: 'content_changed', detail: expect.stringMatching(/edited/) },
    });
  });

  it.each([
    ['a nested value', (o: Record<string, any>) => (o.after.weights[2].canary = 999)],
    ['the reason', (o: Record<string, any>) => (o.reason = 'nothing to see')],
    ['a null reason made empty', (o: Record<string, any>) => (o.reason = o.reason === null ? '' : null)],
    ['the metadata', (o: Record<string, any>) => (o.metadata.ip = '203.0.113.9')],
    ['the time, by a millisecond', (o: Record<string, any>) => (o.occurredAt = o.occurredAt.replace(/\.(\d{3})Z$/, (_: string, ms: string) => `.${String((Number(ms) + 1) % 1000).padStart(3, '0')}Z`))],
    ['the time, same instant spelled without milliseconds', (o: Record<string, any>) => (o.occurredAt = '2025-01-01T12:00:12.000Z'.replace('.000', ''))],
    ['a dropped before', (o: Record<string, any>) => delete o.before],
    ['the stored hash', (o: Record<string, any>) => (o.hash = 'b'.repeat(64))],
  ])('detects an edit to %s', (_name, edit) => {
    const tampered = [...lines];
    tampered[11] = editLine(lines[11]!, edit);
    expect(verifyExport(tampered).firstBroken).toMatchObject({ line: 12, seq: 12, problem: 'content_changed' });
  });

  it('detects an edit whose hash was recomputed, at the next event', () => {
    const forged = { ...chain[9]!, reason: 'forged' };
    const tampered = [...lines];
    tampered[9] = toJsonLine({ ...forged, hash: hashAuditEvent(forged.prevHash, forged) });
    expect(verifyExport(tampered).firstBroken).toMatchObject({ line: 11, seq: 11, problem: 'link_broken' });
  });

  it('names a deleted middle line at the line after the gap', () => {
    const without = lines.filter((_, i) => i !== 17);
    expect(verifyExport(without)).toMatchObject({
      ok: false,
      checked: 18,
      headHash: chain[16]!.hash,
      firstBroken: { line: 18, seq: 19, problem: 'link_broken', detail: expect.stringMatching(/removed or reordered/) },
    });
  });

  it('names reordered lines', () => {
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(verifyExport(swapped).firstBroken).toMatchObject({ line: 4, seq: 5, problem: 'link_broken' });
  });

  it('names a deleted first line', () => {
    expect(verifyExport(lines.slice(1)).firstBroken).toMatchObject({ line: 1, seq: 2, problem: 'link_broken' });
  });

  it('cannot see a truncated tail alone, but names it against the expected head', () => {
    const truncated = lines.slice(0, N - 3);
    expect(verifyExport(truncated).ok).toBe(true);
    expect(verifyExport(truncated, { expectedHead: head })).toEqual({
      ok: false,
      checked: N - 3,
      headHash: chain[N - 4]!.hash,
      firstBroken: { line: N - 3, seq: N - 3, id: chain[N - 4]!.id, problem: 'head_mismatch', detail: expect.stringMatching(/removed from the end/) },
    });
    expect(verifyExport(lines, { expectedHead: head }).ok).toBe(true);
  });

  it('names a tail extended past the expected head', () => {
    const more = buildChain(2, content, head, N + 1).map(toJsonLine);
    expect(verifyExport([...lines, ...more]).ok).toBe(true);
    expect(verifyExport([...lines, ...more], { expectedHead: head }).firstBroken).toMatchObject({ problem: 'head_mismatch', seq: N + 2 });
  });

  it('names an empty export against an expected head', () => {
    expect(verifyExport([], { expectedHead: head }).firstBroken).toMatchObject({ line: 0, seq: null, problem: 'head_mismatch' });
  });

  describe('with a checkpoint', () => {
    const checkpoint = { seq: 20, hash: chain[19]!.hash };

    it('accepts an export that contains it, even one that runs past it', () => {
      expect(verifyExport(lines, { checkpoint })).toMatchObject({ ok: true, checked: N, headHash: head });
      expect(verifyExport(lines.slice(0, 20), { checkpoint }).ok).toBe(true);
    });

    it('names a tail truncated before it', () => {
      expect(verifyExport(lines.slice(0, 19), { checkpoint }).firstBroken).toMatchObject({ line: 19, seq: 19, problem: 'checkpoint_missing' });
    });

    it('names a chain rewritten with fresh hashes, which alone would verify', () => {
      // A forger with database access edits event 8 and recomputes every hash after it.
      const rewritten = [...chain.slice(0, 7), ...buildChain(N - 7, (i) => ({ ...content(i), reason: i === 8 ? 'forged' : content(i).reason }), chain[6]!.hash, 8)];
      const forgedLines = rewritten.map(toJsonLine);
      expect(verifyExport(forgedLines).ok).toBe(true);
      expect(verifyExport(forgedLines, { checkpoint }).firstBroken).toMatchObject({ line: 20, seq: 20, problem: 'checkpoint_mismatch' });
    });

    it('names a renumbered seq', () => {
      const renumbered = lines.map((line) => editLine(line, (o) => (o.seq = (o.seq as number) + 100)));
      expect(verifyExport(renumbered, { checkpoint }).firstBroken).toMatchObject({ line: 20, seq: 120, problem: 'checkpoint_mismatch' });
    });
  });

  describe('filtered exports and ranges', () => {
    it('does not verify a filtered export: the chain has gaps by design', () => {
      const filtered = chain.filter((e) => e.actorType === 'api_key').map(toJsonLine);
      expect(verifyExport(filtered).firstBroken).toMatchObject({ line: 1, problem: 'link_broken' });
    });

    it('verifies a contiguous range from the hash before it', () => {
      const range = lines.slice(10, 25);
      expect(verifyExport(range).firstBroken).toMatchObject({ line: 1, seq: 11, problem: 'link_broken' });
      expect(verifyExport(range, { from: { prevHash: chain[9]!.hash } })).toEqual({ ok: true, checked: 15, headHash: chain[24]!.hash, firstBroken: null });
      expect(verifyExport(range, { from: { prevHash: chain[8]!.hash } }).firstBroken).toMatchObject({ problem: 'link_broken' });
      expect(verifyExport(lines, { from: 'genesis' }).ok).toBe(true);
    });
  });

  describe('parse errors', () => {
    it.each([
      ['{"seq":1', /not valid JSON/],
      ['[1,2,3]', /not a JSON object/],
      ['null', /not a JSON object/],
      [editLine(lines[0]!, (o) => (o.note = 'not hashed')), /unexpected field "note"/],
      [editLine(lines[0]!, (o) => delete o.actorId), /actorId must be a string/],
      [editLine(lines[0]!, (o) => (o.occurredAt = 1735732801000)), /occurredAt must be a string/],
      [editLine(lines[0]!, (o) => (o.seq = '1')), /seq must be an integer/],
      [editLine(lines[0]!, (o) => (o.seq = 1.5)), /seq must be an integer/],
      [editLine(lines[0]!, (o) => (o.reason = 42)), /reason must be a string or null/],
      [editLine(lines[0]!, (o) => delete o.hash), /hash must be a string/],
    ])('names line %# as a parse error', (bad, message) => {
      const report = verifyExport([bad, ...lines.slice(1)]);
      expect(report).toMatchObject({ ok: false, checked: 0, headHash: GENESIS_HASH });
      expect(report.firstBroken).toEqual({ line: 1, seq: null, id: null, problem: 'parse_error', detail: expect.stringMatching(message) });
    });

    it('reports the line number of a bad line in the middle', () => {
      const report = verifyExport([...lines.slice(0, 5), 'garbage', ...lines.slice(5)]);
      expect(report).toMatchObject({ checked: 5, headHash: chain[4]!.hash, firstBroken: { line: 6, problem: 'parse_error' } });
    });

    it('parseExportLine returns the event with occurredAt as text', () => {
      const parsed = parseExportLine(lines[0]!.trim());
      expect(parsed).toMatchObject({ event: { seq: 1, occurredAt: chain[0]!.occurredAt.toISOString() } });
    });
  });

  it('stops at the first problem', () => {
    const tampered = [...lines];
    tampered[2] = editLine(lines[2]!, (o) => (o.action = 'forged.first'));
    tampered[8] = 'garbage';
    expect(verifyExport(tampered)).toMatchObject({ checked: 3, firstBroken: { line: 3, problem: 'content_changed' } });
  });

  it('ExportVerifier streams line by line with the same result', () => {
    const verifier = new ExportVerifier({ expectedHead: head });
    lines.forEach((line, i) => {
      verifier.pushLine(line);
      const report = verifier.report();
      expect(report.checked).toBe(i + 1);
      expect(report.headHash).toBe(chain[i]!.hash);
      expect(report.ok).toBe(i === N - 1);
    });
    expect(verifier.report()).toEqual(verifyExport(lines, { expectedHead: head }));
  });
});

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/** A strict RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        cell += ch;
        i += 1;
      }
    } else if (ch === '"') {
      if (cell !== '') throw new Error(`stray quote at ${i}`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`bare line break at ${i}`);
    } else {
      cell += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length) throw new Error('last record not CRLF-terminated');
  return rows;
}

describe('CSV export', () => {
  it('has a header of the column names, CRLF-terminated', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(CSV_COLUMNS).toHaveLength(15);
    expect([...CSV_COLUMNS].sort()).toEqual([...EXPORT_FIELDS].sort());
  });

  it('writes a plain record without quotes', () => {
    const event = { ...chain[0]!, reason: 'first', before: null, after: { b: 1, a: [true, null] }, metadata: { via: 'ui' } };
    const row = toCsvRow(event);
    expect(row).toBe(
      `1,2025-01-01T12:00:01.007Z,user,u-1,Grace Hopper,model.create,release,rel-1,first,,"{""a"":[true,null],""b"":1}","{""via"":""ui""}",${event.id},${GENESIS_HASH},${event.hash}\r\n`,
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['one\ntwo', '"one\ntwo"'],
    ['one\r\ntwo', '"one\r\ntwo"'],
    ['', ''],
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=A1,"x"', `"'=A1,""x"""`],
    ['a=b', 'a=b'],
    ['x-1', 'x-1'],
    ["'already", "'already"],
    ['Zürich 🚀', 'Zürich 🚀'],
  ])('escapes %j as %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('guards user-typed cells against formula injection', () => {
    const event = { ...chain[0]!, reason: '=HYPERLINK("http://evil.example")', actorName: '@admin' };
    const [record] = parseCsv(toCsvRow(event));
    expect(record![CSV_COLUMNS.indexOf('reason')]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(record![CSV_COLUMNS.indexOf('actorName')]).toBe("'@admin");
  });

  it('writes null and undefined as empty cells, JSON as compact canonical text', () => {
    const event = { ...chain[0]!, reason: null, before: undefined, after: { z: 1, a: { d: new Date(0), c: 'x' } } };
    const [record] = parseCsv(toCsvRow(event));
    expect(record![CSV_COLUMNS.indexOf('reason')]).toBe('');
    expect(record![CSV_COLUMNS.indexOf('before')]).toBe('');
    expect(record![CSV_COLUMNS.indexOf('after')]).toBe('{"a":{"c":"x","d":"1970-01-01T00:00:00.000Z"},"z":1}');
  });

  it('reads back as one record per event with every value intact (apart from the guard)', () => {
    const text = csvHeader() + chain.map(toCsvRow).join('');
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(N);
    records.forEach((record, i) => {
      const event = chain[i]!;
      expect(record).toHaveLength(CSV_COLUMNS.length);
      const cell = (c: (typeof CSV_COLUMNS)[number]) => record[CSV_COLUMNS.indexOf(c)]!;
      const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
      expect(Number(cell('seq'))).toBe(event.seq);
      expect(cell('occurredAt')).toBe(event.occurredAt.toISOString());
      expect(unguard(cell('reason'))).toBe(event.reason ?? '');
      expect(cell('actorName')).toBe(event.actorName);
      expect(JSON.parse(cell('after'))).toEqual(JSON.parse(JSON.stringify(event.after)));
      expect(cell('before') === '' ? null : JSON.parse(cell('before'))).toEqual(event.before);
      expect(cell('hash')).toBe(event.hash);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// auditDiff
// ---------------------------------------------------------------------------------------------

describe('auditDiff', () => {
  it('finds nothing between equal values, or two empty sides', () => {
    expect(auditDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(auditDiff(null, null)).toEqual([]);
    expect(auditDiff(undefined, null)).toEqual([]);
    expect(auditDiff({ at: new Date(5) }, { at: new Date(5) })).toEqual([]);
  });

  it('lists every leaf of a creation as added, in sorted path order', () => {
    expect(auditDiff(null, { name: 'fraud', config: { lr: 0.1, layers: [64, 32] }, tags: [] })).toEqual([
      { path: 'config.layers.0', kind: 'added', after: 64 },
      { path: 'config.layers.1', kind: 'added', after: 32 },
      { path: 'config.lr', kind: 'added', after: 0.1 },
      { path: 'name', kind: 'added', after: 'fraud' },
      { path: 'tags', kind: 'added', after: [] },
    ]);
  });

  it('lists every leaf of a deletion as removed', () => {
    expect(auditDiff({ a: 1, b: { c: null } }, undefined)).toEqual([
      { path: 'a', kind: 'removed', before: 1 },
      { path: 'b.c', kind: 'removed', before: null },
    ]);
  });

  it('lists an empty object created as itself', () => {
    expect(auditDiff(null, {})).toEqual([{ path: '', kind: 'added', after: {} }]);
  });

  it('names nested changes, additions and removals by path', () => {
    const before = { stage: 'staging', owner: { team: 'risk', pager: 'ada' }, steps: [{ weight: 5 }, { weight: 25 }] };
    const after = { stage: 'production', owner: { team: 'risk', channel: '#risk' }, steps: [{ weight: 5 }, { weight: 50 }] };
    expect(auditDiff(before, after)).toEqual([
      { path: 'owner.channel', kind: 'added', after: '#risk' },
      { path: 'owner.pager', kind: 'removed', before: 'ada' },
      { path: 'stage', kind: 'changed', before: 'staging', after: 'production' },
      { path: 'steps.1.weight', kind: 'changed', before: 25, after: 50 },
    ]);
  });

  it('compares arrays index by index', () => {
    expect(auditDiff({ a: [1, 2] }, { a: [1, 3, { x: 4 }] })).toEqual([
      { path: 'a.1', kind: 'changed', before: 2, after: 3 },
      { path: 'a.2.x', kind: 'added', after: 4 },
    ]);
    expect(auditDiff({ a: [1, 2, 3] }, { a: [1] })).toEqual([
      { path: 'a.1', kind: 'removed', before: 2 },
      { path: 'a.2', kind: 'removed', before: 3 },
    ]);
  });

  it('reports a change of type as one change with both whole values', () => {
    expect(auditDiff({ a: { x: 1 } }, { a: [1] })).toEqual([{ path: 'a', kind: 'changed', before: { x: 1 }, after: [1] }]);
    expect(auditDiff({ a: 'x' }, { a: { y: 1 } })).toEqual([{ path: 'a', kind: 'changed', before: 'x', after: { y: 1 } }]);
    expect(auditDiff({ a: null }, { a: { y: 1 } })).toEqual([{ path: 'a', kind: 'changed', before: null, after: { y: 1 } }]);
    expect(auditDiff({ a: 1 }, { a: '1' })).toEqual([{ path: 'a', kind: 'changed', before: 1, after: '1' }]);
  });

  it('treats an undefined member as absent, as the stored JSON does', () => {
    expect(auditDiff({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(auditDiff({ a: 1 }, { a: 1, b: undefined, c: 2 })).toEqual([{ path: 'c', kind: 'added', after: 2 }]);
  });

  it('diffs root scalars at the empty path', () => {
    expect(auditDiff(1, 2)).toEqual([{ path: '', kind: 'changed', before: 1, after: 2 }]);
    expect(auditDiff(null, 'x')).toEqual([{ path: '', kind: 'added', after: 'x' }]);
  });

  it('does not depend on key order', () => {
    const a = auditDiff({ b: 1, a: { y: 1, x: 2 } }, { a: { x: 3, y: 1 }, b: 2, c: 0 });
    const b = auditDiff({ a: { x: 2, y: 1 }, b: 1 }, { c: 0, b: 2, a: { y: 1, x: 3 } });
    expect(a).toEqual(b);
    expect(a.map((c) => c.path)).toEqual(['a.x', 'b', 'c']);
  });

  it('diffs the chain fixtures', () => {
    const changes = auditDiff(chain[2]!.before, chain[2]!.after);
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toContain('changed owner.team');
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toContain('removed weights.2.notes.1');
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toContain('removed 10');
  });
});

// ---------------------------------------------------------------------------------------------
// Signed checkpoints
// ---------------------------------------------------------------------------------------------

describe('signed checkpoints', () => {
  const keys = checkpointKeyPair('a-server-secret-of-some-length');
  const at = new Date('2025-03-01T10:00:00.000Z');
  const payload = checkpointPayload({ seq: 20, hash: chain[19]!.hash, at });

  it('signs a canonical payload with a purpose tag', () => {
    expect(payload).toBe(`{"at":"2025-03-01T10:00:00.000Z","hash":"${chain[19]!.hash}","purpose":"flightdeck-audit-checkpoint","seq":20}`);
    expect(checkpointPayload({ seq: 20, hash: chain[19]!.hash, at: '2025-03-01T10:00:00.000Z' })).toBe(payload);
  });

  it.each([
    [{ seq: -1, hash: head, at }],
    [{ seq: 1.5, hash: head, at }],
    [{ seq: 1, hash: 'XYZ', at }],
    [{ seq: 1, hash: head.toUpperCase(), at }],
    [{ seq: 1, hash: head, at: new Date(NaN) }],
    [{ seq: 1, hash: head, at: '' }],
  ])('refuses a malformed checkpoint %#', (bad) => {
    expect(() => checkpointPayload(bad)).toThrow(TypeError);
  });

  it('verifies its own signature', () => {
    const signature = signCheckpoint(payload, keys.privateKeyPem);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(verifyCheckpoint(payload, signature, keys.publicKeyPem)).toBe(true);
  });

  it('is an ordinary Ed25519 signature any tool can check', () => {
    const signature = signCheckpoint(payload, keys.privateKeyPem);
    expect(cryptoVerify(null, Buffer.from(payload), keys.publicKeyPem, Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('fails with the wrong key', () => {
    const signature = signCheckpoint(payload, keys.privateKeyPem);
    const other = checkpointKeyPair('another-server-secret-entirely');
    expect(verifyCheckpoint(payload, signature, other.publicKeyPem)).toBe(false);
  });

  it('fails for a tampered payload', () => {
    const signature = signCheckpoint(payload, keys.privateKeyPem);
    expect(verifyCheckpoint(checkpointPayload({ seq: 21, hash: chain[19]!.hash, at }), signature, keys.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint(checkpointPayload({ seq: 20, hash: chain[18]!.hash, at }), signature, keys.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint(checkpointPayload({ seq: 20, hash: chain[19]!.hash, at: new Date(at.getTime() + 1) }), signature, keys.publicKeyPem)).toBe(false);
  });

  it('fails for a tampered or malformed signature', () => {
    const signature = signCheckpoint(payload, keys.privateKeyPem);
    const flipped = Buffer.from(signature, 'base64');
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyCheckpoint(payload, flipped.toString('base64'), keys.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint(payload, '', keys.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint(payload, 'not base64!', keys.publicKeyPem)).toBe(false);
    expect(verifyCheckpoint(payload, signature.slice(0, 40), keys.publicKeyPem)).toBe(false);
  });

  it('refuses keys that are not Ed25519', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecPublic = ec.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const ecPrivate = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => signCheckpoint(payload, ecPrivate)).toThrow(/Ed25519/);
    const ecSignature = cryptoSign('sha256', Buffer.from(payload), ec.privateKey).toString('base64');
    expect(() => verifyCheckpoint(payload, ecSignature, ecPublic)).toThrow(/Ed25519/);
  });

  it('derives the same key pair from the same secret, and a different one from another', () => {
    const again = checkpointKeyPair('a-server-secret-of-some-length');
    expect(again).toEqual(keys);
    expect(checkpointKeyPair('a-server-secret-of-some-lengtH').publicKeyPem).not.toBe(keys.publicKeyPem);
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // Deterministic signatures too (Ed25519 has no random nonce).
    expect(signCheckpoint(payload, again.privateKeyPem)).toBe(signCheckpoint(payload, keys.privateKeyPem));
  });

  it('uses sha256("flightdeck-audit-checkpoint:" + secret) as the seed', () => {
    const seed = createHash('sha256').update('flightdeck-audit-checkpoint:a-server-secret-of-some-length').digest('base64url');
    expect(createPrivateKey(keys.privateKeyPem).export({ format: 'jwk' }).d).toBe(seed);
  });

  it('refuses a short secret', () => {
    expect(() => checkpointKeyPair('')).toThrow(/at least 16/);
    expect(() => checkpointKeyPair('short')).toThrow(/at least 16/);
  });
});

// ---------------------------------------------------------------------------------------------
// The offline command agrees with the TypeScript code
// ---------------------------------------------------------------------------------------------

describe('scripts/verify-audit-export.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-audit-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let fileNo = 0;

  const write = (name: string, text: string): string => {
    const path = join(dir, `${fileNo++}-${name}`);
    writeFileSync(path, text);
    return path;
  };

  const run = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, ['scripts/verify-audit-export.mjs', ...args], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      input,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' }, // nothing from the repo's environment
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  const exportFile = write('export.jsonl', lines.join(''));

  const keys = checkpointKeyPair('checkpoint-secret-for-the-script-test');
  const publicKeyFile = write('key.pem', keys.publicKeyPem);
  const checkpointFile = (seq: number, hash: string, signWith = keys.privateKeyPem): string => {
    const at = '2025-03-01T10:00:00.000Z';
    const signature = signCheckpoint(checkpointPayload({ seq, hash, at }), signWith);
    return write('checkpoint.json', JSON.stringify({ seq, hash, at, signature }, null, 2));
  };

  it('prints the count and head and exits 0 for an intact export', () => {
    const result = run([exportFile]);
    expect(result.stdout).toBe(`ok: ${N} events, head ${head}\n`);
    expect(result.status).toBe(0);
  });

  it('exits 1 and names the line of a tampered export', () => {
    const tampered = [...lines];
    tampered[6] = editLine(lines[6]!, (o) => (o.reason = 'quietly edited'));
    const result = run([write('tampered.jsonl', tampered.join(''))]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`broken at line 7 (seq 7, id ${chain[6]!.id}): content_changed`);
    expect(result.stdout).toContain(`checked 7 events; the chain is intact up to head ${chain[5]!.hash}`);
  });

  /** Every case must get the same verdict from the script as from verifyExport. */
  const verdict = (report: ExportReport): string =>
    report.ok ? `ok: ${report.checked} events, head ${report.headHash}\n` : `broken at line ${report.firstBroken!.line}`;

  const swapped = [...lines];
  [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
  const cases: Array<[name: string, text: string, args: string[], opts: Parameters<typeof verifyExport>[1]]> = [
    ['intact', lines.join(''), [], {}],
    ['CRLF line ends', lines.join('').replace(/\n/g, '\r\n'), [], {}],
    ['blank lines and a BOM', `\uFEFF${lines[0]!}\n\n${lines.slice(1).join('')}\n`, [], {}],
    ['edited nested value', [...lines.slice(0, 9), editLine(lines[9]!, (o: any) => (o.after.owner.team = 'x')), ...lines.slice(10)].join(''), [], {}],
    ['deleted middle line', lines.filter((_, i) => i !== 17).join(''), [], {}],
    ['reordered lines', swapped.join(''), [], {}],
    ['truncated tail, no head', lines.slice(0, 30).join(''), [], {}],
    ['truncated tail vs head', lines.slice(0, 30).join(''), ['--head', head], { expectedHead: head }],
    ['intact vs head', lines.join(''), ['--head', head], { expectedHead: head }],
    ['range from its previous hash', lines.slice(10, 25).join(''), ['--from', chain[9]!.hash], { from: { prevHash: chain[9]!.hash } }],
    ['range without --from', lines.slice(10, 25).join(''), [], {}],
    ['unknown field', [editLine(lines[0]!, (o) => (o.extra = 1)), ...lines.slice(1)].join(''), [], {}],
    ['bad JSON', [lines[0]!, '{oops\n', ...lines.slice(1)].join(''), [], {}],
    ['empty file', '', [], {}],
  ];

  it.each(cases)('agrees with verifyExport: %s', (_name, text, args, opts) => {
    const expected = verifyExport(text.split('\n'), opts);
    const result = run([write('case.jsonl', text), ...args]);
    expect(result.status).toBe(expected.ok ? 0 : 1);
    if (expected.ok) {
      expect(result.stdout).toBe(verdict(expected));
    } else {
      expect(result.stdout).toContain(verdict(expected));
      expect(result.stdout).toContain(`: ${expected.firstBroken!.problem}: `);
      expect(result.stdout).toContain(`checked ${expected.checked} events; the chain is intact up to head ${expected.headHash}`);
    }
  });

  it('hashes tricky content exactly as hashAuditEvent does', () => {
    const tricky = buildChain(4, (i) => ({
      ...content(i),
      before: JSON.parse('{"__proto__":{"polluted":true},"10":1,"9":2,"b":[0.1,-0,1e-7,123456789012345680000]}'),
      after: { at: new Date(Date.UTC(2025, 5, 1)), list: [1, undefined, 'lone \ud800 surrogate', '\u2028\u2029'], emoji: '👩‍👩‍👧' },
      metadata: i === 2 ? undefined : { 'key with "quotes"': 'v' },
    }));
    const result = run([write('tricky.jsonl', tricky.map(toJsonLine).join(''))]);
    expect(result.stdout).toBe(`ok: 4 events, head ${tricky[3]!.hash}\n`);
    expect(result.status).toBe(0);
  });

  it('reads standard input with "-"', () => {
    const result = run(['-'], lines.join(''));
    expect(result).toMatchObject({ status: 0, stdout: `ok: ${N} events, head ${head}\n` });
  });

  describe('--checkpoint', () => {
    it('accepts a signed checkpoint contained in the export', () => {
      const result = run([exportFile, '--checkpoint', checkpointFile(20, chain[19]!.hash), '--public-key', publicKeyFile]);
      expect(result.stdout).toBe(`ok: ${N} events, head ${head}\ncheckpoint: seq 20 signed at 2025-03-01T10:00:00.000Z is in the export\n`);
      expect(result.status).toBe(0);
    });

    it('names a tail truncated before the checkpoint', () => {
      const truncated = write('truncated.jsonl', lines.slice(0, 19).join(''));
      const result = run([truncated, '--checkpoint', checkpointFile(20, chain[19]!.hash), '--public-key', publicKeyFile]);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('checkpoint_missing');
    });

    it('names a chain rewritten before the checkpoint', () => {
      const rewritten = [...chain.slice(0, 7), ...buildChain(N - 7, (i) => ({ ...content(i), reason: i === 8 ? 'forged' : content(i).reason }), chain[6]!.hash, 8)];
      const result = run([write('rewritten.jsonl', rewritten.map(toJsonLine).join('')), '--checkpoint', checkpointFile(20, chain[19]!.hash), '--public-key', publicKeyFile]);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('broken at line 20 (seq 20');
      expect(result.stdout).toContain('checkpoint_mismatch');
    });

    it('refuses a checkpoint signed with another key', () => {
      const forged = checkpointFile(20, chain[19]!.hash, checkpointKeyPair('the-attackers-own-secret-key').privateKeyPem);
      const result = run([exportFile, '--checkpoint', forged, '--public-key', publicKeyFile]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/checkpoint signature does not verify/);
    });

    it('refuses a checkpoint whose hash was edited after signing', () => {
      const path = checkpointFile(20, chain[19]!.hash);
      const cp = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      const result = run([exportFile, '--checkpoint', write('edited.json', JSON.stringify({ ...cp, seq: 19, hash: chain[18]!.hash })), '--public-key', publicKeyFile]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/checkpoint signature does not verify/);
    });
  });

  it('exits 2 on a usage error or a missing file', () => {
    expect(run([]).status).toBe(2);
    expect(run([exportFile, '--checkpoint', 'x.json']).status).toBe(2);
    expect(run([exportFile, '--bogus']).status).toBe(2);
    expect(run([join(dir, 'does-not-exist.jsonl')]).status).toBe(2);
  });
});
