/**
 * The Electron shell, with `electron` mocked (the binary cannot run here): the window is locked down
 * (context isolation, sandbox, no Node), new windows / navigation / permissions are refused, and the
 * one IPC channel answers only our own page in our own window, with a session per window.
 */
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
    loadFile: ReturnType<typeof vi.fn>;
  }[],
  permissionHandler: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  calls: [] as { channel: string; input: unknown; sessionId: string }[],
  enableSandbox: vi.fn(),
}));

vi.mock('electron', () => {
  let nextId = 1;
  class BrowserWindow {
    webContents = { id: nextId++, send: vi.fn(), isDestroyed: () => false };
    loadFile = vi.fn(() => Promise.resolve());
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
      quit: vi.fn(),
      exit: vi.fn(),
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => state.ipcHandlers.set(channel, fn) },
    Menu: { setApplicationMenu: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
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

const trustedUrl = pathToFileURL(path.resolve('renderer/index.html')).href;

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
    expect(state.windows[0]!.loadFile).toHaveBeenCalledWith(path.resolve('renderer/index.html'));
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
    let granted: boolean | null = null;
    state.permissionHandler!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
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
