import { errorBody } from '@/lib/http/respond';

// Unknown /api/v1 paths answer in the API's error shape, not with an HTML page.
const notFound = (req: Request) =>
  Response.json(errorBody('not_found', `No endpoint ${req.method} ${new URL(req.url).pathname}. See /api/v1/openapi.json.`), { status: 404 });

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
