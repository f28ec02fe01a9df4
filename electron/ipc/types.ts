// The slice of Electron's IPC that our binding code needs, as plain interfaces: Electron's own
// objects satisfy them, and unit tests can stand in for them under plain Node without Electron.

/** The renderer on the other end of an invoke (Electron's WebContents fits this). */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** One `ipcRenderer.invoke` as the main process sees it (Electron's IpcMainInvokeEvent fits this). */
export interface IpcInvokeEvent {
  readonly sender: IpcSender;
  /** The frame that sent the message; null when it has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

export type IpcInvokeListener = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;

/** What we use of `ipcMain` (Electron's ipcMain fits this). */
export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeListener): void;
  removeHandler(channel: string): void;
}

/** Decides whether a message comes from our own renderer; everything else is refused. */
export type SenderCheck = (event: IpcInvokeEvent) => boolean;
