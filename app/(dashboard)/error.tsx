'use client';

import { buttonStyles } from '@/components/ui/button-styles';

/** A page failed on the server: say so plainly, keep the shell, offer a retry. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="max-w-lg rounded-lg border border-red-300 bg-red-50 p-5 dark:border-red-900 dark:bg-red-950">
      <h1 className="font-semibold text-red-900 dark:text-red-200">This page could not be loaded</h1>
      <p className="mt-1 text-red-800 dark:text-red-300">
        The server hit an error{error.digest ? ` (reference ${error.digest})` : ''}. If the database is restarting, a retry in a few seconds usually works.
      </p>
      <button type="button" onClick={reset} className={`${buttonStyles.secondary} mt-4`}>
        Try again
      </button>
    </div>
  );
}
