/** Types of what tests import from fetch-eval-sources.js. */
export declare const sourcesDir: string;
export declare function projectDirName(project: { project: string }): string;
export declare function readSources(): { projects: Array<{ project: string; files: string[] }> };
