import { pipeline, type Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { exportActivity, exportMembers } from '../../../services/roster/export.js';
import { actorOf, type HandlerDeps } from '../deps.js';

const TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

export function exportHandlers({ kit }: HandlerDeps) {
  /**
   * Streams a file: who may export was decided before the first byte (a refusal is the kit's error
   * page); a failure mid-way (the database gone) cuts the response, so a download never ends as a
   * short file that looks complete.
   */
  function send(res: Response, stream: Readable, format: keyof typeof TYPES, name: string) {
    res.status(200);
    res.setHeader('Content-Type', TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    // The account's people: never kept by a cache, shared or private.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    pipeline(stream, res, (err) => {
      // A reader who went away is not a failure of the kit's.
      if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') kit.logger.error(`express-account-users: the export ${name} failed while streaming`, err);
    });
  }

  return {
    /** GET /export/members.csv and /export/members.json */
    members: (format: 'csv' | 'json') =>
      async function exportMembersFile(req: Request, res: Response) {
        const actor = actorOf(kit, req);
        send(res, await exportMembers(kit, { actor, accountId: actor.accountId, format }), format, `members.${format}`);
      },
    /** GET /export/activity.csv */
    async activity(req: Request, res: Response) {
      const actor = actorOf(kit, req);
      send(res, await exportActivity(kit, { actor, accountId: actor.accountId, format: 'csv' }), 'csv', 'activity.csv');
    },
  };
}
