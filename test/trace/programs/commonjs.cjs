/* eslint-disable @typescript-eslint/no-require-imports -- the CommonJS case, on purpose */
// CommonJS, with the fs functions destructured at require time.
const { writeFileSync, renameSync } = require('node:fs');
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
writeFileSync(path.join(dir, 'destructured.tmp'), 'data');
renameSync(path.join(dir, 'destructured.tmp'), path.join(dir, 'destructured'));
fs.promises
  .writeFile(path.join(dir, 'promises.tmp'), 'data')
  .then(() => fs.promises.rename(path.join(dir, 'promises.tmp'), path.join(dir, 'promises')));
