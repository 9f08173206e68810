import { apiRoute } from '@/lib/http/api-route';
import { listAuditCheckpoints } from '@/lib/queries/audit';
import { checkpointKeys } from '@/lib/services/audit/checkpoints';

/** The signed checkpoints (newest first, up to 100) and the public key that verifies them offline. */
export const GET = apiRoute(async ({ caller }) => {
  const items = await listAuditCheckpoints(caller);
  return { data: { publicKey: checkpointKeys().publicKeyPem, algorithm: 'Ed25519', items } };
});
