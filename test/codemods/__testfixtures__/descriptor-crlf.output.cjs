'use strict';
const { writeFileDurableSync } = require('eslint-plugin-durable-write/durable');

/* descriptor sequence, CRLF */
function save(file, data) {
  writeFileDurableSync(file, data, { mode: 0o600 });
}

module.exports = { save };
