/**
 * Electron main process: a thin shell. It makes the window, locks it down, and registers the
 * CounterApi handler map from createCounterHost on one IPC channel. Everything else is plain Node.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  safeStorage,
  session as electronSession,
  type WebContents,
} from 'electron';

import type { Session } from '../services/auth/auth.js';
import { loadHostConfig } from '../host/config.js';
import { createCounterHost } from '../host/create-host.js';
import { fileCredentialStore, type Protector } from '../services/sync/credentials.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.resolve(here, '..', '..', 'renderer', 'index.html');
const preload = path.resolve(here, '..', 'preload', 'index.cjs');
const trustedUrl = pathToFileURL(rendererIndex).href;

app.enableSandbox();

/** The sync token is sealed by the OS keychain (safeStorage) where it is available, else a 0600 file. */
function osProtector(): Protector | undefined {
  try {
    if (!safeStorage.isEncryptionAvailable()) return undefined;
  } catch {
    return undefined;
  }
  return {
    protect: (plain) => safeStorage.encryptString(plain),
    unprotect: (sealed) => safeStorage.decryptString(sealed),
  };
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.COUNTERTOP_DATA_DIR ?? app.getPath('userData');
  const config = loadHostConfig(dataDir);
  const protector = osProtector();
  const host = await createCounterHost({
    ...config,
    server: { ...config.server, credentials: fileCredentialStore(path.join(dataDir, 'sync'), protector) },
  });
  const sessions = new Map<number, Session>();
  const windows = new Set<WebContents>();

  // Deny every permission (camera, notifications, …) and every new window or navigation.
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  ipcMain.handle('countertop:invoke', async (event, channel: unknown, input: unknown) => {
    // Only our own page, in our own window, may call.
    const frameUrl = event.senderFrame?.url ?? '';
    if (!windows.has(event.sender) || frameUrl.split('#')[0] !== trustedUrl || typeof channel !== 'string') {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Call refused: unknown sender.' } };
    }
    let s = sessions.get(event.sender.id);
    if (!s) {
      s = host.newSession();
      sessions.set(event.sender.id, s);
    }
    return host.call(channel, input, s);
  });
  host.onEvent((name, payload, target) => {
    for (const wc of windows) {
      const session = sessions.get(wc.id);
      const wanted = target ? session?.id === target : Boolean(session?.cashier);
      if (wanted && !wc.isDestroyed()) wc.send('countertop:event', name, payload);
    }
  });

  Menu.setApplicationMenu(null);
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1280,
    minHeight: 760,
    title: 'Countertop',
    backgroundColor: '#0f172a',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  windows.add(win.webContents);
  const id = win.webContents.id;
  win.on('closed', () => {
    sessions.delete(id);
  });
  await win.loadFile(rendererIndex);

  app.on('window-all-closed', () => {
    void host.close().finally(() => app.quit());
  });
}

start().catch((err: unknown) => {
  console.error(err);
  app.exit(1);
});
