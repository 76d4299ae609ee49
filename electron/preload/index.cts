/**
 * Preload (sandboxed, CommonJS): exposes exactly one generic `invoke` and one `on` to the page.
 * No Node, no ipcRenderer object, no arbitrary channel names reach the renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

type Listener = (name: string, payload: unknown) => void;

contextBridge.exposeInMainWorld('countertop', {
  invoke: (channel: string, input: unknown): Promise<unknown> =>
    ipcRenderer.invoke('countertop:invoke', String(channel), input),
  on: (listener: Listener): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, name: string, payload: unknown): void =>
      listener(name, payload);
    ipcRenderer.on('countertop:event', wrapped);
    return () => ipcRenderer.removeListener('countertop:event', wrapped);
  },
});
