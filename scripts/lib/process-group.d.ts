// Types for process-group.js, which tests import.
export interface GroupRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error: Error | undefined;
  stdout: string;
  stderr: string;
}
export declare function runInGroup(
  command: string,
  args: readonly string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<GroupRun>;
