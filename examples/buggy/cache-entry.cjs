// A cache writer in callback style, as in many build tools.
'use strict';
const fs = require('graceful-fs');

module.exports = function writeCacheEntry(entryPath, buffer, callback) {
  const tmp = entryPath + '.tmp';
  fs.writeFile(tmp, buffer, (err) => {
    if (err) return callback(err);
    fs.rename(tmp, entryPath, callback);
  });
};
