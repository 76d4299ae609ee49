/**
 * Electron main process: a thin shell. It makes the window, locks it down, and registers the
 * CounterApi handler map from createCounterHost on one IPC channel. Everything else is plain Node.
 *
 * The renderer is served from its build folder over a custom `app://countertop/` scheme rather than
 * file:// (which would let the page read any file it can name, and gives every file one shared
 * origin). One instance runs per user: a second launch focuses the window of the first instead of
 * opening the same database twice.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  net,
  protocol,
  safeStorage,
  session as electronSession,
  type WebContents,
} from 'electron';

import type { Session } from '../services/auth/auth.js';
import { loadHostConfig } from '../host/config.js';
import { createCounterHost } from '../host/create-host.js';
import { fileCredentialStore, type Protector } from '../services/sync/credentials.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.resolve(here, '..', '..', 'renderer');
const preload = path.resolve(here, '..', 'preload', 'index.cjs');
const APP_SCHEME = 'app';
const APP_HOST = 'countertop';
const trustedUrl = `${APP_SCHEME}://${APP_HOST}/index.html`;

app.enableSandbox();
// Before `ready`: a standard, secure scheme gets a real origin, module scripts (CORS) and fetch.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
  },
]);

/**
 * app://countertop/<path> -> the file under the renderer's build folder, never outside it. Anything
 * else (another host, a broken escape, a way out of the folder) is a 404, and nothing here throws.
 */
export async function serveRenderer(request: { url: string }): Promise<Response> {
  const notFound = () =>
    new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  let url: URL;
  let rel: string;
  try {
    url = new URL(request.url);
    rel = decodeURIComponent(url.pathname);
  } catch {
    return notFound();
  }
  if (url.host !== APP_HOST || rel.includes('\0')) return notFound();
  if (rel === '/' || !path.extname(rel)) rel = '/index.html';
  const file = path.resolve(rendererRoot, `.${rel}`);
  if (!file.startsWith(rendererRoot + path.sep)) return notFound();
  try {
    return await net.fetch(pathToFileURL(file).href);
  } catch {
    return notFound();
  }
}

let mainWindow: BrowserWindow | null = null;
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
app.on('second-instance', () => {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

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

  protocol.handle(APP_SCHEME, serveRenderer);
  // Deny every permission (camera, notifications, …), asked or merely checked, and every new window
  // or navigation.
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  electronSession.defaultSession.setPermissionCheckHandler(() => false);
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
      // An installed counter has no DevTools: they would run any script in the page, next to the bridge.
      devTools: !app.isPackaged,
    },
  });
  mainWindow = win;
  windows.add(win.webContents);
  const id = win.webContents.id;
  win.on('closed', () => {
    sessions.delete(id);
  });
  await win.loadURL(trustedUrl);

  app.on('window-all-closed', () => {
    void host.close().finally(() => app.quit());
  });
}

if (primary)
  start().catch((err: unknown) => {
    console.error(err);
    app.exit(1);
  });
