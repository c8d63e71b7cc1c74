'use strict';
const { writeFileDurable } = require('durable-write-runtime');

function save(file, data, callback) {
  writeFileDurable(file, data, 'utf8').then(() => null, (error) => error.cause ?? error).then((error) => process.nextTick(function (err) {
    if (err) return callback(err);
    process.nextTick(callback, null);
  }, error));
}

module.exports = { save };
