/**
 * The Electron shell, with `electron` mocked (the binary cannot run here): the window is locked down
 * (context isolation, sandbox, no Node, no DevTools when packaged), the renderer comes over a
 * privileged app:// scheme that serves only its build folder, new windows / navigation / permission
 * requests and checks are refused, a second instance quits, the page's CSP connects only to its own
 * origin, and the one IPC channel answers only our own page in our own window, with a session per
 * window.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

const state = vi.hoisted(() => ({
  ipcHandlers: new Map<string, Handler>(),
  appHandlers: new Map<string, Handler>(),
  windows: [] as {
    options: Record<string, unknown>;
    webContents: { id: number; send: ReturnType<typeof vi.fn>; isDestroyed: () => boolean };
    loadURL: ReturnType<typeof vi.fn>;
    focus: ReturnType<typeof vi.fn>;
  }[],
  permissionHandler: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  schemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  protocolHandlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
  fetched: [] as string[],
  singleInstance: true,
  isPackaged: false,
  quit: vi.fn(),
  calls: [] as { channel: string; input: unknown; sessionId: string }[],
  enableSandbox: vi.fn(),
}));

vi.mock('electron', () => {
  let nextId = 1;
  class BrowserWindow {
    webContents = { id: nextId++, send: vi.fn(), isDestroyed: () => false };
    loadURL = vi.fn(() => Promise.resolve());
    focus = vi.fn();
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = vi.fn();
    constructor(public options: Record<string, unknown>) {
      state.windows.push(this);
    }
    on() {
      return this;
    }
  }
  return {
    app: {
      enableSandbox: state.enableSandbox,
      whenReady: () => Promise.resolve(),
      getPath: () => '/tmp/countertop-electron-test',
      on: (name: string, fn: Handler) => state.appHandlers.set(name, fn),
      requestSingleInstanceLock: () => state.singleInstance,
      get isPackaged() {
        return state.isPackaged;
      },
      quit: state.quit,
      exit: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: typeof state.schemes) => state.schemes.push(...schemes),
      handle: (scheme: string, fn: (request: { url: string }) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn),
    },
    net: {
      fetch: (url: string) => {
        state.fetched.push(url);
        return Promise.resolve(new Response('file', { status: 200 }));
      },
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => state.ipcHandlers.set(channel, fn) },
    Menu: { setApplicationMenu: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
        setPermissionCheckHandler: (fn: typeof state.permissionCheck) => (state.permissionCheck = fn),
      },
    },
  };
});

vi.mock('../../electron/host/config.js', () => ({ loadHostConfig: (dataDir: string) => ({ dataDir }) }));
vi.mock('../../electron/host/create-host.js', () => ({
  createCounterHost: () =>
    Promise.resolve({
      newSession: () => ({ id: Math.random().toString(36).slice(2), cashier: null, lastActivityAt: 0 }),
      call: (channel: string, input: unknown, session: { id: string }) => {
        state.calls.push({ channel, input, sessionId: session.id });
        return Promise.resolve({ ok: true, value: { channel } });
      },
      onEvent: () => () => undefined,
      close: () => Promise.resolve(),
    }),
}));

const trustedUrl = 'app://countertop/index.html';
const rendererRoot = path.resolve('renderer');

beforeAll(async () => {
  await import('../../electron/main/index.js');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
});

describe('Electron main process', () => {
  it('enables the sandbox and locks the window down', () => {
    expect(state.enableSandbox).toHaveBeenCalled();
    const prefs = state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    // Not packaged (this run): DevTools stay available to developers.
    expect(prefs.devTools).toBe(true);
  });

  it('loads the page over app:// (a privileged, standard, secure scheme), not file://', () => {
    expect(state.windows[0]!.loadURL).toHaveBeenCalledWith(trustedUrl);
    expect(state.schemes).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown,
      },
    ]);
    expect(state.protocolHandlers.has('app')).toBe(true);
  });

  it('serves only files under the renderer folder over app://, and never throws', async () => {
    const serve = state.protocolHandlers.get('app')!;
    state.fetched.length = 0;
    expect((await serve({ url: 'app://countertop/index.html' })).status).toBe(200);
    expect((await serve({ url: 'app://countertop/assets/index.js' })).status).toBe(200);
    expect((await serve({ url: 'app://countertop/' })).status).toBe(200);
    expect(state.fetched).toEqual([
      pathToFileURL(path.join(rendererRoot, 'index.html')).href,
      pathToFileURL(path.join(rendererRoot, 'assets', 'index.js')).href,
      pathToFileURL(path.join(rendererRoot, 'index.html')).href,
    ]);
    state.fetched.length = 0;
    for (const url of [
      'app://countertop/..%2f..%2fpackage.json',
      'app://countertop/%2e%2e%2f%2e%2e%2fetc%2fpasswd.txt',
      'app://countertop/%E0%A4%A',
      'app://countertop/a%00.js',
      'app://evil/index.html',
      'not a url',
    ]) {
      expect((await serve({ url })).status).toBe(404);
    }
    expect(state.fetched).toEqual([]);
  });

  it('takes the single-instance lock, and a second launch focuses the first window', () => {
    state.appHandlers.get('second-instance')!({});
    expect(state.windows[0]!.focus).toHaveBeenCalled();
    expect(state.quit).not.toHaveBeenCalled();
  });

  it('has a CSP that connects only to its own origin', () => {
    const html = fs.readFileSync(path.resolve('renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
    const connect = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self'");
    expect(csp).not.toContain('*');
  });

  it('refuses new windows, navigation, webviews and permissions', () => {
    const created = state.appHandlers.get('web-contents-created')!;
    const listeners = new Map<string, (e: { preventDefault(): void }) => void>();
    let openHandler: (() => { action: string }) | null = null;
    created(
      {},
      {
        setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
        on: (name: string, fn: (e: { preventDefault(): void }) => void) => listeners.set(name, fn),
      },
    );
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      listeners.get(name)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'hid', 'serial']) {
      let granted: boolean | null = null;
      state.permissionHandler!({}, permission, (ok) => (granted = ok));
      expect(granted).toBe(false);
      expect(state.permissionCheck!({}, permission, trustedUrl, {})).toBe(false);
    }
  });

  it('answers the IPC channel only for our page in our window, one session per window', async () => {
    const invoke = state.ipcHandlers.get('countertop:invoke')!;
    const win = state.windows[0]!.webContents;
    const ok = await invoke({ sender: win, senderFrame: { url: trustedUrl } }, 'session.state', {});
    expect(ok).toEqual({ ok: true, value: { channel: 'session.state' } });
    await invoke({ sender: win, senderFrame: { url: `${trustedUrl}#x` } }, 'accounts.search', { query: 'a' });
    expect(state.calls).toHaveLength(2);
    expect(state.calls[0]!.sessionId).toBe(state.calls[1]!.sessionId);

    const strangers = [
      { sender: { id: 999 }, senderFrame: { url: trustedUrl } },
      { sender: win, senderFrame: { url: 'https://evil.example/' } },
      { sender: win, senderFrame: null },
    ];
    for (const event of strangers) {
      expect(await invoke(event, 'session.state', {})).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await invoke({ sender: win, senderFrame: { url: trustedUrl } }, 42, {})).toMatchObject({
      ok: false,
    });
    expect(state.calls).toHaveLength(2);
  });
});

describe('Electron main process, other launches', () => {
  it('a second instance quits at once: no window, no host, no protocol', async () => {
    const windowsBefore = state.windows.length;
    state.singleInstance = false;
    vi.resetModules();
    await import('../../electron/main/index.js');
    expect(state.quit).toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.windows).toHaveLength(windowsBefore);
  });

  it('a packaged build has no DevTools', async () => {
    state.singleInstance = true;
    state.isPackaged = true;
    const windowsBefore = state.windows.length;
    vi.resetModules();
    await import('../../electron/main/index.js');
    await vi.waitFor(() => expect(state.windows).toHaveLength(windowsBefore + 1));
    const prefs = state.windows.at(-1)!.options.webPreferences as Record<string, unknown>;
    expect(prefs.devTools).toBe(false);
  });
});
