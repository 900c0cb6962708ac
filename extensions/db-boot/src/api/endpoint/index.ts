import { defineEndpoint } from '@directus/extensions-sdk';
import type { Response } from 'express';
import { readSettings } from '../config/read-settings';
import type { SchemaServiceClass } from '../snapshot/apply-snapshot';
import { redactSecrets } from '../common/redact-secrets';
import { readStatus } from '../status/read-status';

/**
 * GET /db-boot/status: each migration's state and the schema's drift from the snapshot, for
 * administrators. Directus has authenticated the request before it reaches an endpoint; an
 * anonymous caller has no user in its accountability.
 */
export default defineEndpoint({
  id: 'db-boot',
  handler: (router, { database, services, env, logger }) => {
    router.get('/status', async (request, response) => {
      const accountability = (request as { accountability?: { user?: string; admin?: boolean } })
        .accountability;
      if (!accountability?.user) {
        return fail(response, 401, 'INVALID_CREDENTIALS', 'Sign in as an administrator.');
      }
      if (accountability.admin !== true) {
        return fail(response, 403, 'FORBIDDEN', 'Only administrators can read the boot status.');
      }

      // An async handler's rejection would escape Express 4 and end the whole server.
      try {
        const status = await readStatus({
          knex: database,
          SchemaService: services.SchemaService as unknown as SchemaServiceClass,
          settings: readSettings(env),
          env,
        });

        return response.json(status);
      } catch (error) {
        const cause = redactSecrets(String(error), env);
        logger.error(`db-boot status: ${cause}`);
        return fail(response, 500, 'INTERNAL_SERVER_ERROR', `Cannot read the status: ${cause}`);
      }
    });
  },
});

/** Errors in Directus's own shape, so that its app and SDK read them like any other. */
function fail(response: Response, status: number, code: string, message: string) {
  return response.status(status).json({ errors: [{ message, extensions: { code } }] });
}
