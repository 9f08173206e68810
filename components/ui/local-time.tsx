'use client';

import { useEffect, useState } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

function relative(date: Date, now: number): string {
  const diff = date.getTime() - now;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms || unit === 'second') return format.format(Math.round(diff / ms), unit);
  return '';
}

/**
 * A time shown relative ("3 hours ago") with the absolute time, in the reader's own zone, on
 * hover. The server does not know the reader's zone, so the text is filled in on the client.
 */
/** mode: 'relative' (3 hours ago), 'absolute' (date and minute) or 'clock' (time with seconds, for timelines). */
export function LocalTime({ value, mode = 'relative' }: { value: Date | string; mode?: 'relative' | 'absolute' | 'clock' }) {
  const date = typeof value === 'string' ? new Date(value) : value;
  const iso = date.toISOString();
  const [text, setText] = useState<string | null>(null);
  const [title, setTitle] = useState(iso);
  useEffect(() => {
    const absolute = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    setTitle(`${absolute} (${Intl.DateTimeFormat().resolvedOptions().timeZone})`);
    setText(mode === 'relative' ? relative(date, Date.now()) : mode === 'clock' ? date.toLocaleTimeString(undefined, { timeStyle: 'medium' }) : absolute);
  }, [iso, mode]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <time dateTime={iso} title={title} className="whitespace-nowrap">
      {text ?? iso.slice(0, 16).replace('T', ' ')}
    </time>
  );
}
