import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { cache } from 'react';
import { getDb } from '@/db';
import { getAuthOptions } from './auth-options';
import { actorFromUserId } from './actors';

/** The signed-in person, once per request; null when signed out or deactivated. */
export const getSessionActor = cache(async () => {
  // Per-request by nature: never prerender a page that asks who is signed in.
  await connection();
  const session = (await getServerSession(getAuthOptions())) as { uid?: string } | null;
  if (!session?.uid) return null;
  return actorFromUserId(await getDb(), session.uid);
});

/** For pages: the actor, or a redirect to sign-in. */
export async function requireSessionActor() {
  const actor = await getSessionActor();
  if (!actor) redirect('/signin');
  return actor;
}
