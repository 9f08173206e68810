'use client';

// Last resort when the root layout itself fails; it must render its own <html>.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', padding: 40 }}>
        <h1>Flightdeck could not load</h1>
        <p>Something failed before the page could render.{error.digest ? ` Reference: ${error.digest}.` : ''}</p>
        <button onClick={reset}>Try again</button>
      </body>
    </html>
  );
}
