/** Where a command writes: standard output and error, or strings in tests. */
export interface Io {
  /** May return a promise when the stream is full; long outputs wait for it. */
  readonly stdout: (text: string) => void | Promise<void>;
  readonly stderr: (text: string) => void;
}
