/** The native file dialogs main offers the handlers (desktop app only; absent in browser mode). */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface NativeDialogs {
  /** Resolves the chosen path, or null when dismissed. */
  saveFile(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  openFile(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
}
