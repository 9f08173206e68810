import { describe, expect, it } from 'vitest';
import { decodeSegment } from '@/lib/http/path-segment';

describe('decodeSegment', () => {
  it.each([
    ['1.2.0%2Bbuild.7', '1.2.0+build.7'],
    ['1.2.0+build.7', '1.2.0+build.7'],
    ['income_ratio', 'income_ratio'],
    ['%E0%A4', '%E0%A4'], // not UTF-8: kept, so the page is a 404 and not a URIError
    ['100%', '100%'],
  ])('%s → %s', (segment, expected) => expect(decodeSegment(segment)).toBe(expected));
});
