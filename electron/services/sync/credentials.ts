/**
 * Where the terminal keeps its enrollment: server URL, terminal id, branch and the bearer token.
 *
 * The browser host keeps it in a file only this user can read (0600) in the data folder. The seam for
 * Electron: pass `protect`/`unprotect` (safeStorage.encryptString / decryptString from the main
 * process) and the token is stored encrypted by the OS keychain; nothing here imports `electron`.
 */
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { ensurePrivateDir } from '../../../shared/node/private-files.js';

export type Enrollment = {
  serverUrl: string;
  terminalId: string;
  token: string;
  branch: string;
  serverId: string;
  enrolledAt: string;
};

export type CredentialStore = {
  load(): Enrollment | null;
  save(enrollment: Enrollment): void;
  clear(): void;
};

export type Protector = { protect(plain: string): Buffer; unprotect(sealed: Buffer): string };

const FileSchema = z.object({
  serverUrl: z.string(),
  terminalId: z.string(),
  branch: z.string(),
  serverId: z.string(),
  enrolledAt: z.string(),
  token: z.string().optional(),
  sealedToken: z.string().optional(),
});

export function fileCredentialStore(dir: string, protector?: Protector): CredentialStore {
  const file = path.join(dir, 'enrollment.json');
  return {
    load() {
      if (!fs.existsSync(file)) return null;
      const parsed = FileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      const token = parsed.sealedToken
        ? (protector ?? failNoProtector()).unprotect(Buffer.from(parsed.sealedToken, 'base64'))
        : parsed.token;
      if (!token) throw new Error(`${file} has no token`);
      return {
        serverUrl: parsed.serverUrl,
        terminalId: parsed.terminalId,
        branch: parsed.branch,
        serverId: parsed.serverId,
        enrolledAt: parsed.enrolledAt,
        token,
      };
    },
    save(e) {
      ensurePrivateDir(dir);
      const { token, ...rest } = e;
      const body = protector
        ? { ...rest, sealedToken: protector.protect(token).toString('base64') }
        : { ...rest, token };
      // Write a new file (0600 from the start), then rename over the old one: never half-written.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, file);
    },
    clear() {
      fs.rmSync(file, { force: true });
    },
  };
}

function failNoProtector(): never {
  throw new Error(
    'The enrollment token is sealed by the OS keychain: start the Electron app, or enroll again.',
  );
}
