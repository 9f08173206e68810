/**
 * A dynamic page segment as the user typed it. Next.js has usually decoded it already, but not in
 * every version and path (a page's params have come through encoded before); decoding once more is
 * harmless for names that hold no "%" (model names, semver, feature names never do). What cannot be
 * decoded — `/versions/%E0%A4` — is kept as it is, so it is a 404 rather than a URIError (a 500).
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
