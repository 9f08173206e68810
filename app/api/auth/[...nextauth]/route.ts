import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/auth-options';

const handler = (req: Request, ctx: unknown) => NextAuth(getAuthOptions())(req, ctx);
export { handler as GET, handler as POST };
