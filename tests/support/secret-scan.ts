/**
 * Finding secret material in text a client or a log reader would see: response bodies, page HTML,
 * log lines, error reports. Two nets: the exact secrets a test created or read from the database
 * (each in every spelling it could take on the way out), and the shapes of secrets nobody listed
 * (a demo user's bcrypt hash, an API key or webhook secret created elsewhere). Plain TypeScript
 * without app imports, so that the Playwright specs can use it too.
 */

export type Secret = { label: string; value: string };

/** Shapes of secrets, whoever they belong to. An API key's 10-character prefix is public; the whole key is not. */
export const SECRET_SHAPES: readonly { label: string; pattern: RegExp }[] = [
  { label: 'a bcrypt password hash', pattern: /\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}/ },
  { label: 'a webhook signing secret (whsec_…)', pattern: /whsec_[A-Za-z0-9_-]{16,}/ },
  { label: 'a whole API key (fdk_…)', pattern: /\bfdk_[A-Za-z0-9_-]{32}/ },
  { label: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

// Shorter values would match by accident (and no secret Flightdeck issues is this short).
const MIN_SECRET_LENGTH = 12;

/** As is, JSON-escaped (a string inside a JSON body or a JSON log line), URL-encoded, and each long line of a PEM. */
function spellings(value: string): string[] {
  const lines = value.includes('\n') ? value.split('\n').filter((line) => line.trim().length >= 32) : [];
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), ...lines])];
}

export type SecretScanner = {
  /** What of the secrets (by label) and secret shapes the text contains; empty when it is clean. */
  find(text: string): string[];
  readonly secrets: readonly Secret[];
};

export function secretScanner(secrets: readonly Secret[]): SecretScanner {
  const usable = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  const tooShort = secrets.filter((s) => s.value.length < MIN_SECRET_LENGTH);
  if (tooShort.length) throw new Error(`secrets too short to search for: ${tooShort.map((s) => s.label).join(', ')}`);
  const needles = usable.flatMap((s) => spellings(s.value).map((spelling) => ({ label: s.label, spelling })));
  return {
    secrets: usable,
    find(text) {
      const found = new Set<string>();
      for (const { label, spelling } of needles) if (text.includes(spelling)) found.add(label);
      for (const { label, pattern } of SECRET_SHAPES) if (pattern.test(text)) found.add(label);
      return [...found];
    },
  };
}
