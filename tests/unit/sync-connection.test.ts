/** Which sync failures mean "Offline" (the server cannot be reached) and which "Server error". */
import { describe, expect, it } from 'vitest';

import { SyncRequestError } from '../../electron/services/sync/client.js';
import { isTransportFailure } from '../../electron/services/sync/worker.js';

const http = (status: number, code = `HTTP_${status}`): SyncRequestError =>
  new SyncRequestError('http', status, code, `The server answered ${status}.`);

describe('isTransportFailure', () => {
  it('is true for no connection, a timeout and a gateway that cannot reach the server', () => {
    expect(isTransportFailure(new SyncRequestError('network', null, 'NETWORK', 'refused'))).toBe(true);
    for (const status of [502, 503, 504]) expect(isTransportFailure(http(status))).toBe(true);
  });

  it('is false when the server answers, whatever it answers', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 415, 429, 500, 501])
      expect(isTransportFailure(http(status))).toBe(false);
    expect(isTransportFailure(new SyncRequestError('protocol', 200, 'BAD_RESPONSE', 'not valid'))).toBe(
      false,
    );
  });

  it('is false for a failure on the counter itself', () => {
    expect(isTransportFailure(new Error('SQLITE_BUSY: database is locked'))).toBe(false);
  });
});
