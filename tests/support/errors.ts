import { CounterError } from '../../shared/api/errors.js';

/** The CounterError `fn` throws; any other error is rethrown, and a result fails the test. */
export function counterError(fn: () => unknown): CounterError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CounterError) return err;
    throw err;
  }
  throw new Error('expected a CounterError, got a result');
}
