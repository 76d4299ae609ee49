/** Time for the services: injectable so that tests can pin "today". Business dates are local dates. */
export type Clock = {
  now(): Date;
  /** The business date (YYYY-MM-DD) in the terminal's time zone. */
  today(): string;
  timeZone: string;
};

export function systemClock(timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): Clock {
  return fixedOrSystem(() => new Date(), timeZone);
}

export function fixedClock(iso: string, timeZone = 'UTC'): Clock {
  const at = new Date(iso);
  return fixedOrSystem(() => new Date(at), timeZone);
}

function fixedOrSystem(now: () => Date, timeZone: string): Clock {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return { now, today: () => fmt.format(now()), timeZone };
}

/** A clock tests can move forward (idle lock, lockout expiry, aging). */
export function manualClock(iso: string, timeZone = 'UTC'): Clock & { advance(ms: number): void } {
  let at = new Date(iso).getTime();
  const clock = fixedOrSystem(() => new Date(at), timeZone);
  return Object.assign(clock, {
    advance(ms: number) {
      at += ms;
    },
  });
}
