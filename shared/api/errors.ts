/**
 * Typed errors that cross the CounterApi boundary: a stable code for programs and a message in words a
 * CSR can say to the customer. `field` names the input the error belongs to, so the screen can show it
 * next to that field.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'BAD_CREDENTIALS',
  'LOCKED_OUT',
  'NOT_FOUND',
  'ACCOUNT_CLOSED',
  'CASH_ONLY',
  'TENDER_SHORT',
  'OVERTENDER_NEEDS_CONFIRMATION',
  'CREDIT_NEEDS_CONFIRMATION',
  'PREPAY_NEEDS_REASON',
  'CARD_NUMBER_REFUSED',
  'TILL_NOT_OPEN',
  'NEEDS_SUPERVISOR',
  'DEVICE_ERROR',
  'CONFLICT',
  'UNKNOWN_CHANNEL',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  field: z.string().optional(),
  /** Further errors for other fields of the same request. */
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorSchema>;

export class CounterError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: { field: string; message: string }[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    field?: string,
    details?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'CounterError';
    this.code = code;
    this.field = field;
    this.details = details;
  }

  toJSON(): ApiErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.details?.length ? { details: this.details } : {}),
    };
  }
}

/** The shape of every reply: a value or a typed error, never a thrown exception across the boundary. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/**
 * Turns the first zod issue into a sentence; the path becomes the field, under `field` when the value
 * checked is one named input rather than the whole request.
 */
export function errorFromZod(error: z.ZodError, field?: string): CounterError {
  const details = error.issues.map((issue) => ({
    field: [field, ...issue.path.map(String)].filter(Boolean).join('.') || 'input',
    message: issue.message,
  }));
  const first = details[0] ?? { field: field || 'input', message: 'Invalid input.' };
  return new CounterError('INVALID_INPUT', first.message, first.field, details);
}

/** `value` checked by `schema`, or INVALID_INPUT naming `field` (and the path inside it). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw errorFromZod(result.error, field);
}
