'use strict';
const fs = require('fs');

function save(file, data, callback) {
  const tmp = file + '.tmp';
  fs.writeFile(tmp, data, 'utf8', function (err) {
    if (err) return callback(err);
    fs.rename(tmp, file, callback);
  });
}

module.exports = { save };
