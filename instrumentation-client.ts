import { z } from 'zod';

// Runs in the browser before the app. Under the strict CSP (proxy.ts) zod's JIT probe of
// `new Function` is reported as a violation even though zod falls back: tell it not to try.
z.config({ jitless: true });
