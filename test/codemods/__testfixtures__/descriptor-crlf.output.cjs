'use strict';
const { writeFileDurableSync } = require('durable-write-runtime');

/* descriptor sequence, CRLF */
function save(file, data) {
  writeFileDurableSync(file, data, { mode: 0o600 });
}

module.exports = { save };
