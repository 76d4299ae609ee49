/** The terminal-facing sync routes: push, pull, and the reconciliation of one of its tills. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { PullQuerySchema, PushRequestSchema, SnapshotQuerySchema } from '../../../shared/sync/protocol.js';
import { pullPage } from '../domain/changes.js';
import { applyPush } from '../domain/push.js';
import { snapshotStream } from '../domain/snapshot.js';
import { tillClosings } from '../domain/tills.js';
import { HttpError } from '../http-error.js';
import { authTerminal, parse, type RouteContext } from './context.js';

export function syncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/sync/push', async (req) => {
    const terminal = await authTerminal(ctx, req);
    const body = parse(PushRequestSchema, req.body, 'push');
    const result = await applyPush(ctx.db, terminal, body, {
      ...ctx.push,
      now: ctx.now,
      onFailure: (info) => {
        ctx.push.onFailure?.(info);
        req.log.error(
          { terminal: terminal.code, seq: info.seq, held: info.held, err: info.err },
          'push attempt failed; done again',
        );
      },
    });
    req.log.debug(
      {
        terminal: terminal.code,
        events: body.events.length,
        acked: result.acked.length,
        rejected: result.rejected.length,
      },
      'push',
    );
    for (const r of result.rejected)
      req.log.warn(
        { terminal: terminal.code, seq: r.seq, id: r.id, code: r.code, reason: r.message },
        'event rejected',
      );
    return result;
  });

  app.get('/v1/sync/pull', async (req, reply) => {
    const terminal = await authTerminal(ctx, req);
    const q = parse(PullQuerySchema, req.query, 'pull query');
    const page = await pullPage(ctx.db.knex, q.cursor, q.limit, terminal.code);
    return reply.type('application/json; charset=utf-8').send(page.body);
  });

  // A new terminal's first pull: everything at one version, gzip'd NDJSON (see domain/snapshot.ts).
  app.get('/v1/sync/snapshot', async (req, reply) => {
    const terminal = await authTerminal(ctx, req);
    const q = parse(SnapshotQuerySchema, req.query, 'snapshot query');
    const stream = snapshotStream(ctx.db, q, terminal.code);
    reply.raw.once('close', () => stream.destroy());
    return reply.header('content-encoding', 'gzip').type('application/x-ndjson; charset=utf-8').send(stream);
  });

  app.get('/v1/sync/tills/:tillId', async (req) => {
    const terminal = await authTerminal(ctx, req);
    const { tillId } = parse(z.object({ tillId: z.string().min(1).max(64) }).strict(), req.params, 'till');
    const [closing] = await tillClosings(ctx.db.knex, { tillId, terminalId: terminal.id });
    if (!closing) throw new HttpError(404, 'NOT_FOUND', `No closing of till ${tillId} from this terminal.`);
    return closing;
  });
}
