import { defineEndpoint } from '@directus/extensions-sdk';
import { readSettings } from '../config/read-settings';
import type { SchemaServiceClass } from '../snapshot/apply-snapshot';
import { readStatus } from '../status/read-status';

/**
 * GET /db-boot/status: each migration's state and the schema's drift from the snapshot, for
 * administrators. Directus has authenticated the request before it reaches an endpoint; an
 * anonymous caller has no user in its accountability.
 */
export default defineEndpoint({
  id: 'db-boot',
  handler: (router, { database, services, env }) => {
    router.get('/status', async (request, response) => {
      const accountability = (request as { accountability?: { user?: string; admin?: boolean } })
        .accountability;
      if (!accountability?.user) return response.status(401).json({ error: 'sign in first' });
      if (accountability.admin !== true) {
        return response.status(403).json({ error: 'administrators only' });
      }

      const status = await readStatus({
        knex: database,
        SchemaService: services.SchemaService as unknown as SchemaServiceClass,
        settings: readSettings(env),
      });

      return response.json(status);
    });
  },
});
