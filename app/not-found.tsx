import Link from 'next/link';
import { connection } from 'next/server';

export default async function NotFound() {
  await connection(); // rendered per request: the page's scripts need the request's CSP nonce
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <p className="text-xs font-semibold uppercase tracking-wide text-zinc-500">404</p>
      <h1 className="mt-2 text-xl font-semibold">This page does not exist</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">The link may be old, or the thing it pointed to was renamed.</p>
      <Link href="/" className="mt-6 inline-block rounded-md bg-zinc-900 px-3 py-2 text-white dark:bg-zinc-100 dark:text-zinc-900">
        Back to Overview
      </Link>
    </main>
  );
}
