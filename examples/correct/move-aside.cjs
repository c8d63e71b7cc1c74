// Renaming an existing file aside is not a publish of fresh data: nothing to report.
'use strict';
const fs = require('node:fs');

module.exports = function rotateLog(file) {
  fs.renameSync(file, `${file}.1`);
  fs.writeFileSync(file, '');
};
