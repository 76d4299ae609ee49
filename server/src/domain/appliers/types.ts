import type { z } from 'zod';

import type { Batch } from '../batch.js';

export type EventMeta = { id: string; seq: number; type: string; occurredAt: string };

export type ApplyOutcome = {
  /** The account whose replica row carries this event's effect (its version is acked to the terminal). */
  account?: string;
};

/** Applies one event type. Throws a Rejection (before changing anything) when a server rule is broken. */
export type Applier<T> = {
  schema: z.ZodType<T>;
  /** Accounts the event touches: locked and loaded for the whole batch before anything is applied. */
  accounts?(payload: T): string[];
  /** Transaction ids the event refers to, looked up for the whole batch at once. */
  transactionIds?(payload: T): string[];
  apply(batch: Batch, event: EventMeta, payload: T): Promise<ApplyOutcome>;
};

/** Identity helper that keeps the payload type of each applier. */
export function applier<T>(a: Applier<T>): Applier<T> {
  return a;
}
