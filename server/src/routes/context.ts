/** What every route module gets: the database, the config and the auth helpers. */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

import { BearerHeaderSchema } from '../../../shared/sync/protocol.js';
import type { ServerDb } from '../db/connection.js';
import type { TerminalRow } from '../domain/batch.js';
import { terminalForToken } from '../domain/enroll.js';
import type { PushOptions } from '../domain/push.js';
import { HttpError } from '../http-error.js';

export type RouteContext = {
  db: ServerDb;
  adminToken: string | null;
  push: PushOptions;
  now: () => Date;
  enrollCodeTtlMinutes: number;
  /** Fewest digits a new PIN may have. */
  pinMinLength: number;
  enrollRateLimit: { max: number; timeWindow: number } | false;
  /** Budgets per subject (a terminal, an enrollment code) on top of the per-address one; 429 when spent. */
  limitSubject: {
    terminal(req: FastifyRequest, terminalId: string): Promise<void>;
    enrollCode(req: FastifyRequest, code: string): Promise<void>;
  };
};

/** Parses with zod; a failure is a 400 naming the first fields at fault. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`)
    .join('; ');
  throw new HttpError(400, 'INVALID_REQUEST', `Invalid ${what}: ${detail}`);
}

export async function authTerminal(ctx: RouteContext, req: FastifyRequest): Promise<TerminalRow> {
  const header = BearerHeaderSchema.safeParse(req.headers.authorization);
  if (!header.success)
    throw new HttpError(401, 'UNAUTHORIZED', 'Missing or malformed terminal token: enroll this terminal.');
  const terminal = await terminalForToken(ctx.db, header.data.slice('Bearer '.length));
  if (!terminal)
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'Unknown or revoked terminal token: enroll this terminal again.',
    );
  await ctx.limitSubject.terminal(req, `terminal:${terminal.id}`);
  return terminal;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function authAdmin(ctx: RouteContext, req: FastifyRequest): void {
  if (!ctx.adminToken)
    throw new HttpError(
      403,
      'ADMIN_DISABLED',
      'The admin API is off: start the server with COUNTERTOP_ADMIN_TOKEN set.',
    );
  const header = z.string().max(300).safeParse(req.headers.authorization);
  const given = header.success && header.data.startsWith('Bearer ') ? header.data.slice(7) : '';
  if (!timingSafeEqual(digest(given), digest(ctx.adminToken)))
    throw new HttpError(401, 'UNAUTHORIZED', 'Admin token missing or wrong.');
}
