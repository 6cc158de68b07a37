/** What every `dagflow` subcommand provides to the dispatcher in main.ts. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  /** Returns the process exit code. Throws DagflowError for user errors. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
