'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Re-renders the server page every few seconds (keeping client state), and says when it last did. */
export function AutoRefresh({ seconds = 5 }: { seconds?: number }) {
  const router = useRouter();
  const [at, setAt] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      router.refresh();
      setAt(new Date().toLocaleTimeString());
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return (
    <span className="text-xs text-zinc-500" aria-live="off">
      <span className="text-green-600">●</span> live{at && ` · updated ${at}`}
    </span>
  );
}
