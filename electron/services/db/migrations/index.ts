import type { Knex } from 'knex';

import * as m001 from './001_foundation.js';
import * as m002 from './002_devices.js';
import * as m003 from './003_sync.js';
import * as m004 from './004_tills.js';
import * as m005 from './005_deposits.js';
import * as m006 from './006_equipment.js';
import * as m007 from './007_fts_deferral.js';
import * as m008 from './008_posting_kernel.js';
import * as m009 from './009_sync_review.js';
import * as m010 from './010_auth_throttle.js';
import * as m011 from './011_sealed_checks.js';
import * as m012 from './012_search_suffixes.js';
import * as m013 from './013_snapshot_staging.js';
import * as m014 from './014_returned_checks.js';
import * as m015p from './015_pending_open_items.js';
import * as m015a from './015_adjustments.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

const all: [string, Migration][] = [
  ['001_foundation', m001],
  ['002_devices', m002],
  ['003_sync', m003],
  ['004_tills', m004],
  ['005_deposits', m005],
  ['006_equipment', m006],
  ['007_fts_deferral', m007],
  ['008_posting_kernel', m008],
  ['009_sync_review', m009],
  ['010_auth_throttle', m010],
  ['011_sealed_checks', m011],
  ['012_search_suffixes', m012],
  ['013_snapshot_staging', m013],
  ['014_returned_checks', m014],
  ['015_pending_open_items', m015p],
  ['015_adjustments', m015a],
];

/** Migrations are imported, not read from a folder, so they work from TS, from dist/ and packaged. */
export const counterMigrations: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: () => Promise.resolve(all),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};
