/**
 * The counter's HTTP client for the sync protocol: fetch with a timeout, every answer checked with the
 * shared zod schemas. Failures come back as a SyncRequestError saying whether the server was reached
 * at all (network) and, if it answered, its status, code and message.
 */
import {
  AnchorResponseSchema,
  EnrollResponseSchema,
  PullResponseSchema,
  PushResponseSchema,
  ServerErrorBodySchema,
  type AnchorRequest,
  type AnchorResponse,
  type EnrollRequest,
  type EnrollResponse,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../../shared/sync/protocol.js';

export class SyncRequestError extends Error {
  constructor(
    readonly kind: 'network' | 'http' | 'protocol',
    readonly status: number | null,
    readonly code: string,
    message: string,
    readonly expectedSeq?: number,
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }
}

function networkMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return 'The server did not answer in time.';
  const code = cause?.code ?? (err as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'Cannot reach the server (connection refused).';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Cannot find the server (DNS).';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'The connection to the server dropped.';
  return `Cannot reach the server (${code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}).`;
}

export type SyncClientOptions = { timeoutMs: number; signal?: AbortSignal };

export function joinUrl(base: string, p: string): string {
  return `${base.replace(/\/+$/, '')}${p}`;
}

async function request(
  url: string,
  init: RequestInit & { token?: string },
  opts: SyncClientOptions,
): Promise<unknown> {
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    throw new SyncRequestError('network', null, 'NETWORK', networkMessage(err));
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new SyncRequestError('network', null, 'NETWORK', networkMessage(err));
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const parsed = ServerErrorBodySchema.safeParse(body);
    const e = parsed.success
      ? parsed.data.error
      : { code: `HTTP_${res.status}`, message: `The server answered ${res.status}.` };
    throw new SyncRequestError(
      'http',
      res.status,
      e.code,
      e.message,
      'expectedSeq' in e ? e.expectedSeq : undefined,
    );
  }
  return body;
}

function check<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  body: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new SyncRequestError('protocol', 200, 'BAD_RESPONSE', `The server's ${what} answer is not valid.`);
  return parsed.data;
}

export async function enrollRequest(
  serverUrl: string,
  req: EnrollRequest,
  opts: SyncClientOptions,
): Promise<EnrollResponse> {
  const body = await request(
    joinUrl(serverUrl, '/v1/enroll'),
    { method: 'POST', body: JSON.stringify(req) },
    opts,
  );
  return check(EnrollResponseSchema, body, 'enrollment');
}

export async function pushRequest(
  serverUrl: string,
  token: string,
  req: PushRequest,
  opts: SyncClientOptions,
): Promise<PushResponse> {
  const body = await request(
    joinUrl(serverUrl, '/v1/sync/push'),
    { method: 'POST', body: JSON.stringify(req), token },
    opts,
  );
  return check(PushResponseSchema, body, 'push');
}

/** Sends the audit log's head on its own (`req`), or only reads the server's latest anchor (null). */
export async function anchorRequest(
  serverUrl: string,
  token: string,
  req: AnchorRequest | null,
  opts: SyncClientOptions,
): Promise<AnchorResponse> {
  const body = await request(
    joinUrl(serverUrl, '/v1/sync/anchor'),
    req ? { method: 'POST', body: JSON.stringify(req), token } : { method: 'GET', token },
    opts,
  );
  return check(AnchorResponseSchema, body, 'anchor');
}

/**
 * Opens the snapshot stream (gzip'd NDJSON; fetch inflates it). No overall timeout: the caller aborts
 * through `signal` when the stream goes quiet. A refusal comes back as a SyncRequestError.
 */
export async function snapshotRequest(
  serverUrl: string,
  token: string,
  after: { entity: string; key: string } | null,
  opts: { signal: AbortSignal },
): Promise<ReadableStream<Uint8Array>> {
  const q = after
    ? `?afterEntity=${encodeURIComponent(after.entity)}&afterKey=${encodeURIComponent(after.key)}`
    : '';
  let res: Response;
  try {
    res = await fetch(joinUrl(serverUrl, `/v1/sync/snapshot${q}`), {
      headers: { accept: 'application/x-ndjson', authorization: `Bearer ${token}` },
      signal: opts.signal,
    });
  } catch (err) {
    throw new SyncRequestError('network', null, 'NETWORK', networkMessage(err));
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const parsed = ServerErrorBodySchema.safeParse(body);
    const e = parsed.success
      ? parsed.data.error
      : { code: `HTTP_${res.status}`, message: `The server answered ${res.status}.` };
    throw new SyncRequestError('http', res.status, e.code, e.message);
  }
  return res.body;
}

export async function pullRequest(
  serverUrl: string,
  token: string,
  cursor: number,
  limit: number,
  opts: SyncClientOptions,
): Promise<PullResponse> {
  const body = await request(
    joinUrl(serverUrl, `/v1/sync/pull?cursor=${cursor}&limit=${limit}`),
    { method: 'GET', token },
    opts,
  );
  return check(PullResponseSchema, body, 'pull');
}
