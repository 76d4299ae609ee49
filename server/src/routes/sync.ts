/** The terminal-facing sync routes: push, pull, and the reconciliation of one of its tills. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  AnchorRequestSchema,
  PullQuerySchema,
  PushRequestSchema,
  SnapshotQuerySchema,
  type AuditHead,
} from '../../../shared/sync/protocol.js';
import { latestAnchor, recordAnchor } from '../domain/anchors.js';
import { pullPage } from '../domain/changes.js';
import type { TerminalRow } from '../domain/batch.js';
import { applyPush } from '../domain/push.js';
import { snapshotStream } from '../domain/snapshot.js';
import { tillClosings } from '../domain/tills.js';
import { HttpError } from '../http-error.js';
import { authTerminal, parse, type RouteContext } from './context.js';

export function syncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  async function anchor(req: FastifyRequest, terminal: TerminalRow, head: AuditHead): Promise<void> {
    const alert = await recordAnchor(ctx.db, terminal.id, head, ctx.now());
    if (alert)
      req.log.error(
        {
          terminal: terminal.code,
          seq: alert.seq,
          anchored: alert.anchoredHash,
          reported: alert.reportedHash,
        },
        'audit log rewritten on a terminal: its head contradicts the anchor the server holds',
      );
  }

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
    if (body.auditHead) await anchor(req, terminal, body.auditHead);
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

  app.post('/v1/sync/anchor', async (req) => {
    const terminal = await authTerminal(ctx, req);
    const body = parse(AnchorRequestSchema, req.body, 'anchor');
    if (body.terminalId !== terminal.id)
      throw new HttpError(403, 'WRONG_TERMINAL', 'This token belongs to another terminal.');
    await anchor(req, terminal, body.auditHead);
    return { anchor: await latestAnchor(ctx.db.knex, terminal.id) };
  });

  app.get('/v1/sync/anchor', async (req) => {
    const terminal = await authTerminal(ctx, req);
    return { anchor: await latestAnchor(ctx.db.knex, terminal.id) };
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
