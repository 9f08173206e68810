import Link from 'next/link';

export default function DashboardNotFound() {
  return (
    <div className="max-w-lg">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">Nothing lives at this address. It may have been renamed.</p>
      <Link href="/" className="mt-3 inline-block underline">
        Back to Overview
      </Link>
    </div>
  );
}
