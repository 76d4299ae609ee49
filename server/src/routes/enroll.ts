import type { FastifyInstance } from 'fastify';

import { EnrollRequestSchema } from '../../../shared/sync/protocol.js';
import { enrollTerminal } from '../domain/enroll.js';
import { parse, type RouteContext } from './context.js';

export function enrollRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post(
    '/v1/enroll',
    { config: ctx.enrollRateLimit ? { rateLimit: ctx.enrollRateLimit } : {} },
    async (req, reply) => {
      const body = parse(EnrollRequestSchema, req.body, 'enrollment');
      await ctx.limitSubject.enrollCode(req, `code:${body.code.toUpperCase()}`);
      const enrolled = await enrollTerminal(ctx.db, body, ctx.now());
      req.log.info(
        { terminalId: enrolled.terminalId, branch: enrolled.branch, code: body.terminalCode },
        'terminal enrolled',
      );
      return reply.code(201).send(enrolled);
    },
  );
}
