/**
 * Admin routes (bearer COUNTERTOP_ADMIN_TOKEN): enrollment codes, the review of rejected events,
 * terminals, till closings and the verify report. The CLI does the same directly on the database.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { BranchSchema } from '../../../shared/sync/protocol.js';
import { setCashierPin } from '../domain/cashiers.js';
import { createEnrollmentCode } from '../domain/enroll.js';
import { reviewEvents } from '../domain/review.js';
import { tillClosings } from '../domain/tills.js';
import { verify } from '../domain/verify.js';
import { authAdmin, parse, type RouteContext } from './context.js';

export function adminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/admin/enrollment-codes', async (req, reply) => {
    authAdmin(ctx, req);
    const body = parse(
      z
        .object({
          branch: BranchSchema,
          ttlMinutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60)
            .optional(),
        })
        .strict(),
      req.body,
      'enrollment code request',
    );
    const code = await createEnrollmentCode(ctx.db, {
      branch: body.branch,
      ttlMinutes: body.ttlMinutes ?? ctx.enrollCodeTtlMinutes,
      createdBy: 'admin-api',
      now: ctx.now(),
    });
    return reply.code(201).send(code);
  });

  app.put('/v1/admin/cashiers/:cashierId/pin', async (req, reply) => {
    authAdmin(ctx, req);
    const { cashierId } = parse(
      z.object({ cashierId: z.string().min(1).max(16) }).strict(),
      req.params,
      'cashier',
    );
    const body = parse(z.object({ pin: z.string().max(32) }).strict(), req.body, 'PIN');
    await setCashierPin(ctx.db, cashierId, body.pin, { minLength: ctx.pinMinLength, now: ctx.now() });
    return reply.code(204).send();
  });

  app.get('/v1/admin/events', async (req) => {
    authAdmin(ctx, req);
    const q = parse(
      z
        .object({
          status: z.enum(['applied', 'rejected', 'duplicate']).optional(),
          terminalId: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        })
        .strict(),
      req.query,
      'query',
    );
    return { events: await reviewEvents(ctx.db, q) };
  });

  app.get('/v1/admin/terminals', async (req) => {
    authAdmin(ctx, req);
    const rows = (await ctx.db
      .knex('terminals')
      .orderBy('code')
      .select(
        'id',
        'code',
        'name',
        'branch',
        'first_seq',
        'last_applied_seq',
        'enrolled_at',
        'last_seen_at',
        'revoked_at',
      )) as Record<string, unknown>[];
    return { terminals: rows };
  });

  app.get('/v1/admin/tills', async (req) => {
    authAdmin(ctx, req);
    const q = parse(
      z
        .object({
          status: z.enum(['balanced', 'differences']).optional(),
          tillId: z.string().max(64).optional(),
        })
        .strict(),
      req.query,
      'query',
    );
    return { closings: await tillClosings(ctx.db.knex, q) };
  });

  app.get('/v1/admin/verify', async (req) => {
    authAdmin(ctx, req);
    return verify(ctx.db);
  });
}
