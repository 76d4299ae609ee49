import type { Knex } from 'knex';

import * as m001 from './001_initial.js';
import * as m002d from './002_deposits.js';
import * as m002e from './002_equipment.js';
import * as m003r from './003_returned_checks.js';
import * as m004f from './004_open_item_flags.js';
import * as m004a from './004_adjustments.js';
import * as m005a from './005_audit_anchors.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

const all: [string, Migration][] = [
  ['001_initial', m001],
  ['002_deposits', m002d],
  ['002_equipment', m002e],
  ['003_returned_checks', m003r],
  ['004_open_item_flags', m004f],
  ['004_adjustments', m004a],
  ['005_audit_anchors', m005a],
];

/** Imported, not read from a folder: the same list runs from TS, from dist/ and on both databases. */
export const serverMigrations: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: () => Promise.resolve(all),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};
