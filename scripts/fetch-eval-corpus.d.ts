/** Types of what tests import from fetch-eval-corpus.js. */
export declare const corpusDir: string;
export declare function packageDirName(name: string, version: string): string;
export declare function readPackages(): Array<{
  name: string;
  version: string;
  sourceType?: 'module' | 'commonjs';
  files: string[];
}>;
