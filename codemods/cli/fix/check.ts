/** What one check of the verify phase found, as the report shows it. */
export interface Check {
  /** As the summary names it: `re-lint`, `--typecheck`, `--verify-command`, `project lint`. */
  readonly name: string;
  /**
   * `passed`; `dropped`: rewrites left out of the fix, the rest goes on; `refused`: nothing is
   * written (exit 1); `reported`: problems listed, nothing refused; `inconclusive`: it ran but
   * cannot judge the rewrite; `not run`, with why.
   */
  readonly outcome: 'passed' | 'dropped' | 'refused' | 'reported' | 'inconclusive' | 'not run';
  /** One line, with the numbers: `--typecheck: no new diagnostics`. */
  readonly summary: string;
  /** Lines under it (each diagnostic, a command's last lines of output). */
  readonly details: readonly string[];
}

export const notRun = (name: string, why: string): Check => ({
  name,
  outcome: 'not run',
  summary: `${name}: not run (${why})`,
  details: [],
});
