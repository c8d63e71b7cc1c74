'use strict';
const fs = require('fs');

/* descriptor sequence, CRLF */
function save(file, data) {
  const fd = fs.openSync(file + '.tmp', 'w', 0o600);
  fs.writeSync(fd, data);
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
}

module.exports = { save };
