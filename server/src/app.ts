/**
 * The central server: Fastify + knex. `buildServer(config)` opens the database (running migrations),
 * wires the routes and returns the app, ready to `listen` (or to `inject` in tests). Stateless apart
 * from the database, so several instances can run behind a load balancer on PostgreSQL (the rate-limit
 * counters are per instance).
 */
import { createHash } from 'node:crypto';

import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import pino, { type Logger } from 'pino';
import { ZodError } from 'zod';

import { DEFAULT_PIN_MIN_LENGTH } from '../../shared/validators/pin.js';
import { openServerDb, type DbConfig, type ServerDb } from './db/connection.js';
import { serverId } from './domain/enroll.js';
import type { PushOptions } from './domain/push.js';
import { HttpError } from './http-error.js';
import { adminRoutes } from './routes/admin.js';
import type { RouteContext } from './routes/context.js';
import { enrollRoutes } from './routes/enroll.js';
import { syncRoutes } from './routes/sync.js';

export type ServerConfig = {
  /** A database to open (migrations run), or one already open (kept open by close()). */
  db: DbConfig | ServerDb;
  logger?: Logger;
  /** Bearer token for /v1/admin/*; the admin API is off without one. */
  adminToken?: string | null;
  /** Largest request body (bytes); bigger is 413. */
  bodyLimit?: number;
  /**
   * Requests per client address per window, and the same again per terminal once its token checks out;
   * enrollment attempts per address and per enrollment code. False turns it off.
   */
  rateLimit?: { max: number; timeWindowMs: number; enrollMax: number } | false;
  enrollCodeTtlMinutes?: number;
  /** Fewest digits a new PIN may have (DEFAULT_PIN_MIN_LENGTH, 6, when absent; never under 4). */
  pinMinLength?: number;
  push?: PushOptions;
  now?: () => Date;
};

export type CountertopServer = {
  app: FastifyInstance;
  db: ServerDb;
  /** Listens on host:port (port 0 picks one); returns the base URL. */
  listen(opts?: { host?: string; port?: number }): Promise<string>;
  close(): Promise<void>;
};

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

function isOpenDb(db: DbConfig | ServerDb): db is ServerDb {
  return 'knex' in db;
}

export async function buildServer(config: ServerConfig): Promise<CountertopServer> {
  const ownsDb = !isOpenDb(config.db);
  const db = isOpenDb(config.db) ? config.db : await openServerDb(config.db);
  const logger = config.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'countertop-server' });
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  // JSON only: any other body (Fastify also parses text/plain by default) is 415.
  app.removeContentTypeParser('text/plain');
  const limits =
    config.rateLimit === undefined ? { max: 3000, timeWindowMs: 60_000, enrollMax: 10 } : config.rateLimit;
  if (limits) {
    await app.register(rateLimit, {
      global: true,
      max: limits.max,
      timeWindow: limits.timeWindowMs,
      // By address, never by anything the client chooses: keyed by the Authorization header, every
      // made-up token got a fresh budget.
      keyGenerator: (req) => `ip:${req.ip}`,
    });
  }
  const subjects = new WeakMap<FastifyRequest, string>();
  const subjectLimiter = (max: number): ((req: FastifyRequest, subject: string) => Promise<void>) => {
    if (!limits) return () => Promise.resolve();
    const check = app.createRateLimit({
      max,
      timeWindow: limits.timeWindowMs,
      keyGenerator: (req) => subjects.get(req) ?? `ip:${req.ip}`,
    });
    return async (req, subject) => {
      subjects.set(req, createHash('sha256').update(subject).digest('hex').slice(0, 32));
      const r = await check(req);
      if (!r.isAllowed && r.isExceeded)
        throw new HttpError(
          429,
          'RATE_LIMITED',
          `Too many requests: slow down (try again in ${r.ttlInSeconds} s).`,
        );
    };
  };
  const ctx: RouteContext = {
    db,
    adminToken: config.adminToken ?? null,
    push: config.push ?? {},
    now: config.now ?? (() => new Date()),
    enrollCodeTtlMinutes: config.enrollCodeTtlMinutes ?? 60,
    pinMinLength: config.pinMinLength ?? DEFAULT_PIN_MIN_LENGTH,
    enrollRateLimit: limits ? { max: limits.enrollMax, timeWindow: limits.timeWindowMs } : false,
    limitSubject: {
      terminal: subjectLimiter(limits ? limits.max : 0),
      enrollCode: subjectLimiter(limits ? limits.enrollMax : 0),
    },
  };

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError)
      return reply
        .code(err.statusCode)
        .send({ error: { code: err.code, message: err.message, ...err.extra } });
    if (err instanceof ZodError)
      return reply
        .code(400)
        .send({ error: { code: 'INVALID_REQUEST', message: err.issues[0]?.message ?? 'Invalid request.' } });
    const e = err as { statusCode?: number; code?: string; message?: string };
    const status = e.statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send({
        error: { code: 'BODY_TOO_LARGE', message: 'The request is too large: send smaller batches.' },
      });
    if (status === 429)
      return reply
        .code(429)
        .send({ error: { code: 'RATE_LIMITED', message: e.message ?? 'Too many requests: slow down.' } });
    if (status < 500)
      return reply
        .code(status)
        .send({ error: { code: e.code ?? 'BAD_REQUEST', message: e.message ?? 'Bad request.' } });
    req.log.error({ err }, 'request failed');
    return reply
      .code(500)
      .send({ error: { code: 'INTERNAL', message: 'The server failed; the terminal will retry.' } });
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such route.' } }),
  );

  const id = await serverId(db);
  app.get('/health', () => ({ ok: true, serverId: id }));
  enrollRoutes(app, ctx);
  syncRoutes(app, ctx);
  adminRoutes(app, ctx);
  await app.ready();

  return {
    app,
    db,
    async listen(opts = {}) {
      await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('server has no TCP address');
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
    async close() {
      await app.close();
      if (ownsDb) await db.close();
    },
  };
}
